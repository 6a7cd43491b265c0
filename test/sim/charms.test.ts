import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readSimBundle } from '../../src/sim/bundle.js';
import { createCharmWorld } from '../../src/sim/charms/engine.js';
import { CHARM_BEHAVIOURS, behaviourOf, trackOf } from '../../src/sim/charms/index.js';
import { applyBundle } from '../../src/sim/deploy.js';
import type { SimModel } from '../../src/sim/state.js';

// The charm behaviour tables through the pure engine: every unit's hooks have run at instant 0, so what
// each unit shows at instant 1 is what its charm holds it at (charm-behaviour.md).

function modelOf(bundle: string, flavour: '2.9' | '3' = '3'): SimModel {
  const model: SimModel = {
    name: 'm',
    uuid: '00000000-0000-0000-0000-000000000001',
    owner: 'admin',
    cloud: 'localhost',
    region: 'localhost',
    config: {},
    createdAt: 0,
    machines: {},
    nextMachine: 0,
    applications: {},
    relations: [],
    bundleMachines: {},
  };
  applyBundle(model, readSimBundle([parse(bundle)], flavour), flavour, 0);
  return model;
}

/** Every unit's status at instant 1, as `unit: state message`. */
function statuses(model: SimModel, now = 1): Record<string, string> {
  const world = createCharmWorld({ model, speed: 0, readyAt: () => 0 });
  const result: Record<string, string> = {};
  for (const app of Object.values(model.applications))
    for (const unit of Object.values(app.units)) {
      const status = world.unitStatus(unit, now);
      result[unit.name] = status ? `${status.current}: ${status.message}` : 'no table';
    }
  return result;
}

const VAULT_AND_OVN = `
applications:
  vault: {charm: vault, channel: 1.8/stable, num_units: 1}
  ovn-central: {charm: ovn-central, channel: 24.03/stable, num_units: 3}
  keystone: {charm: keystone, channel: 2024.1/stable, num_units: 1}
  keystone-mysql-router: {charm: mysql-router, channel: 8.0/stable}
  mysql-innodb-cluster: {charm: mysql-innodb-cluster, channel: 8.0/stable, num_units: 3}
relations:
- [ovn-central:certificates, vault:certificates]
- [keystone:certificates, vault:certificates]
- [keystone:shared-db, keystone-mysql-router:shared-db]
- [keystone-mysql-router:db-router, mysql-innodb-cluster:db-router]
`;

test("vault's ladder: each post-deploy step moves the unit one rung; OVN waits for the CA, keystone does not", (t) => {
  const model = modelOf(VAULT_AND_OVN);
  const vault = model.applications.vault!;
  const unit = vault.units['vault/0']!;
  const ladder: string[] = [statuses(model)['vault/0']!];
  vault.facts = { initialised: 1 };
  ladder.push(statuses(model, 2)['vault/0']!);
  unit.facts = { unsealed: 2 };
  ladder.push(statuses(model, 3)['vault/0']!);
  const before = statuses(model, 3);
  vault.facts.authorised = 3;
  ladder.push(statuses(model, 4)['vault/0']!);
  vault.facts.ca = 4;
  ladder.push(statuses(model, 5)['vault/0']!);
  t.deepEqual(ladder, [
    'blocked: Vault needs to be initialized',
    'blocked: Unit is sealed',
    'blocked: Vault charm not yet authorized: run authorize-charm action.',
    'blocked: Missing CA cert',
    'active: Unit is ready (active: true, mlock: disabled)',
  ]);
  t.is(
    before['ovn-central/0'],
    "waiting: 'ovsdb-peer' incomplete, 'certificates' awaiting server certificate data",
  );
  t.is(
    before['keystone/0'],
    'active: Unit is ready',
    'certificates are not among keystone’s required interfaces',
  );
  const after = statuses(model, 5);
  t.deepEqual(
    ['ovn-central/0', 'ovn-central/1', 'ovn-central/2'].map((u) => after[u]),
    [
      'active: Unit is ready (leader: ovnnb_db, ovnsb_db)',
      'active: Unit is ready (northd: active)',
      'active: Unit is ready',
    ],
  );
  const world = createCharmWorld({ model, speed: 0, readyAt: () => 0 });
  const keystone = model.applications.keystone!.units['keystone/0']!;
  t.false(world.servesHttps(keystone, 3), 'http until the CA is published');
  t.true(world.servesHttps(keystone, 5), 'https once vault has a CA');
});

test('vault unlocks itself with totally-unsecure-auto-unlock, and is ready only with auto-generate-root-ca-cert too', (t) => {
  const unlockOnly = modelOf(
    VAULT_AND_OVN.replace(
      'vault: {charm: vault, channel: 1.8/stable, num_units: 1}',
      'vault: {charm: vault, channel: 1.8/stable, num_units: 1, options: {totally-unsecure-auto-unlock: true}}',
    ),
  );
  t.is(statuses(unlockOnly)['vault/0'], 'blocked: Missing CA cert');
  const both = modelOf(
    VAULT_AND_OVN.replace(
      'vault: {charm: vault, channel: 1.8/stable, num_units: 1}',
      'vault: {charm: vault, channel: 1.8/stable, num_units: 1, options: {totally-unsecure-auto-unlock: true, auto-generate-root-ca-cert: true}}',
    ),
  );
  const settled = statuses(both);
  t.is(settled['vault/0'], 'active: Unit is ready (active: true, mlock: disabled)');
  t.is(settled['ovn-central/1'], 'active: Unit is ready (northd: active)');
});

test('mysql-innodb-cluster forms only with three units; its routers wait for it', (t) => {
  const withUnits = (n: number) =>
    statuses(
      modelOf(
        VAULT_AND_OVN.replace(
          'mysql-innodb-cluster, channel: 8.0/stable, num_units: 3',
          `mysql-innodb-cluster, channel: 8.0/stable, num_units: ${n}`,
        ),
      ),
    );
  const one = withUnits(1);
  t.is(
    one['mysql-innodb-cluster/0'],
    "blocked: 'cluster' missing, Instance not yet configured for clustering",
  );
  t.is(one['keystone-mysql-router/0'], "waiting: 'db-router' incomplete, MySQL Router not yet bootstrapped");
  t.is(one['keystone/0'], 'waiting: Incomplete relations: database');
  t.is(
    withUnits(2)['mysql-innodb-cluster/1'],
    "waiting: 'cluster' incomplete, Instance not yet configured for clustering",
  );
  const three = withUnits(3);
  t.is(
    three['mysql-innodb-cluster/0'],
    'active: Unit is ready: Mode: R/W, Cluster is ONLINE and can tolerate up to ONE failure.',
  );
  t.is(
    three['mysql-innodb-cluster/2'],
    'active: Unit is ready: Mode: R/O, Cluster is ONLINE and can tolerate up to ONE failure.',
  );
  t.is(three['keystone-mysql-router/0'], 'active: Unit is ready');
});

const CEPH = (track: string, devices: string, charmOf = (name: string) => name) => `
applications:
  ceph-mon: {charm: ${charmOf('ceph-mon')}, ${track ? `channel: ${track}/stable,` : ''} num_units: 3, options: {expected-osd-count: 3}}
  ceph-osd: {charm: ${charmOf('ceph-osd')}, ${track ? `channel: ${track}/stable,` : ''} num_units: 3, options: {osd-devices: ${devices}}}
  glance: {charm: ${charmOf('glance')}, ${track ? 'channel: 2024.1/stable,' : ''} num_units: 1}
relations:
- [ceph-osd:mon, ceph-mon:osd]
- [glance:ceph, ceph-mon:client]
`;

test('ceph on a directory: no OSD from Nautilus on, so the mons and their clients wait; block devices or the 2016 track work', (t) => {
  const directory = statuses(modelOf(CEPH('reef', '/srv/osd')));
  t.is(directory['ceph-osd/0'], 'blocked: No block devices detected using current configuration');
  t.is(
    directory['ceph-mon/1'],
    'waiting: Monitor bootstrapped but waiting for number of OSDs to reach expected-osd-count (3)',
  );
  t.is(
    directory['glance/0'],
    'blocked: Missing relations: database, identity; incomplete relations: storage-backend',
  );
  const disks = statuses(modelOf(CEPH('reef', '/dev/sdb /dev/sdc')));
  t.is(disks['ceph-osd/2'], 'active: Unit is ready (2 OSD)');
  t.is(disks['ceph-mon/0'], 'active: Unit is ready and clustered');
  t.is(disks['glance/0'], 'blocked: Missing relations: database, identity');
  const jewel = statuses(
    modelOf(
      CEPH('', '/srv/osd', (name) => `cs:xenial/${name}`),
      '2.9',
    ),
  );
  t.is(jewel['ceph-osd/0'], 'active: Unit is ready (1 OSD)');
  t.is(jewel['ceph-mon/0'], 'active: Unit is ready and clustered');
});

test('classic charms name the generic interfaces their bundle leaves unrelated', (t) => {
  const model = modelOf(`
applications:
  nova-compute: {charm: nova-compute, channel: 2024.1/stable, num_units: 1}
  rabbitmq-server: {charm: rabbitmq-server, channel: 3.9/stable, num_units: 1}
  openstack-dashboard: {charm: openstack-dashboard, channel: 2024.1/stable, num_units: 1}
  wordpress: {charm: wordpress, num_units: 1}
relations:
- [nova-compute:amqp, rabbitmq-server:amqp]
`);
  const all = statuses(model);
  t.is(all['nova-compute/0'], 'blocked: Missing relations: image, compute');
  t.is(all['openstack-dashboard/0'], 'blocked: Missing relations: identity');
  t.is(all['rabbitmq-server/0'], 'active: Unit is ready');
  t.is(all['wordpress/0'], 'no table', 'a charm without a table keeps the lifecycle’s own status');
});

test('tracks: Charmhub channels name theirs; cs: charms are the 2016 set, or 18.02 when a revision is pinned', (t) => {
  t.is(trackOf('2024.1/stable', 'keystone'), '2024.1');
  t.is(trackOf('stable', 'keystone'), undefined);
  t.is(trackOf(undefined, 'cs:xenial/keystone'), '16.10');
  t.is(trackOf(undefined, 'cs:keystone-275'), '18.02');
  t.true(behaviourOf('ceph-osd', undefined, 'cs:ceph-osd-257')!.osds!.directories);
  t.false(behaviourOf('ceph-osd', 'squid/stable', 'ceph-osd')!.osds!.directories);
});

// Every endpoint a table names must exist in the charm's metadata at each track the table covers
// (shared/reference/charms, when this checkout has it).
const CHARMS = '/work/shared/reference/charms';

test('the tables name only endpoints the charms’ metadata declares', (t) => {
  if (!existsSync(CHARMS)) {
    t.pass('shared/reference/charms is not here');
    return;
  }
  const problems: string[] = [];
  let checked = 0;
  for (const table of CHARM_BEHAVIOURS) {
    const tracks = table.tracks.includes('*')
      ? ['2024.1', 'reef', '8.0', '24.03', '1.8', '3.9'].filter((tr) =>
          existsSync(join(CHARMS, table.charm, tr)),
        )
      : table.tracks.filter((tr) => existsSync(join(CHARMS, table.charm, tr)));
    const endpoints = new Set<string>();
    for (const check of table.checks) {
      if (check.kind === 'relation') endpoints.add(check.endpoint);
      if (check.kind === 'interfaces')
        for (const list of [...Object.values(check.required), ...Object.values(check.optional ?? {})])
          list.forEach((e) => endpoints.add(e));
      if (check.kind === 'row' && 'awaiting' in check.when) endpoints.add(check.when.awaiting);
    }
    Object.keys(table.provides ?? {}).forEach((e) => endpoints.add(e));
    for (const track of tracks) {
      const meta = parse(readFileSync(join(CHARMS, table.charm, track, 'metadata.yaml'), 'utf8'), {
        uniqueKeys: false,
      }) as Record<string, Record<string, unknown> | undefined>;
      const declared = new Set(['requires', 'provides', 'peers'].flatMap((k) => Object.keys(meta[k] ?? {})));
      for (const endpoint of endpoints) {
        checked += 1;
        if (!declared.has(endpoint)) problems.push(`${table.charm}@${track}: ${endpoint}`);
      }
    }
  }
  t.deepEqual(problems, []);
  t.true(checked > 80, `checked ${checked} endpoints`);
});

test('on a timeline each unit steps through its charm’s messages as the data it waits for arrives', (t) => {
  const model = modelOf(VAULT_AND_OVN);
  const readyAt: Record<string, number> = {
    'mysql-innodb-cluster/0': 0,
    'mysql-innodb-cluster/1': 1000,
    'mysql-innodb-cluster/2': 2000,
    'keystone-mysql-router/0': 500,
  };
  // one simulated second per real second: each hook that reacts to new relation data takes 5 s
  const world = createCharmWorld({ model, speed: 1, readyAt: (unit) => readyAt[unit.name] ?? 0 });
  const at = (unit: string, now: number) => {
    const app = model.applications[unit.split('/')[0]!]!;
    const status = world.unitStatus(app.units[unit]!, now)!;
    return `${status.current}: ${status.message}`;
  };
  t.is(
    at('mysql-innodb-cluster/0', 3000),
    "waiting: 'cluster' incomplete, Instance not yet configured for clustering",
  );
  t.is(at('mysql-innodb-cluster/0', 8000), 'waiting: Cluster jujuCluster not yet created by leader');
  t.is(at('mysql-innodb-cluster/0', 26000), 'waiting: Not all instances clustered');
  t.is(
    at('keystone-mysql-router/0', 30000),
    "waiting: 'db-router' incomplete, MySQL Router not yet bootstrapped",
  );
  t.is(at('keystone-mysql-router/0', 40000), 'waiting: Waiting for proxied DB creation from cluster');
  t.is(at('keystone/0', 45000), 'waiting: Incomplete relations: database');
  t.is(at('keystone/0', 48000), 'active: Unit is ready');
  t.is(world.unitStatus(model.applications.keystone!.units['keystone/0']!, 48000)!.since, 47000);
});

test("the modern bundle as rendered before issue 13 shows charm-behaviour.md §19's snapshot, app by app", (t) => {
  const bundle = readFileSync(
    new URL('../fixtures/juju/modern-before-issue-13.yaml', import.meta.url),
    'utf8',
  );
  const model = modelOf(bundle);
  const all = statuses(model);
  const byApp: Record<string, string[]> = {};
  for (const [unit, status] of Object.entries(all)) {
    const app = unit.split('/')[0]!;
    byApp[app] = [...new Set([...(byApp[app] ?? []), status])];
  }
  const routers = Object.keys(byApp).filter((app) => app.endsWith('-mysql-router'));
  t.is(routers.length, 8);
  for (const router of routers) t.deepEqual(byApp[router], ['active: Unit is ready'], router);
  t.deepEqual(byApp.vault, ['blocked: Vault needs to be initialized']);
  t.deepEqual(byApp['ovn-central'], [
    "waiting: 'ovsdb-peer' incomplete, 'certificates' awaiting server certificate data",
  ]);
  t.deepEqual(byApp['ovn-chassis'], [
    "waiting: 'certificates' awaiting server certificate data, 'ovsdb' incomplete",
  ]);
  t.deepEqual(byApp['neutron-api-plugin-ovn'], [
    "waiting: 'certificates' awaiting server certificate data, 'ovsdb-cms' incomplete",
  ]);
  t.deepEqual(byApp['mysql-innodb-cluster'], [
    'active: Unit is ready: Mode: R/W, Cluster is ONLINE and can tolerate up to ONE failure.',
    'active: Unit is ready: Mode: R/O, Cluster is ONLINE and can tolerate up to ONE failure.',
  ]);
  for (const app of [
    'keystone',
    'neutron-api',
    'nova-cloud-controller',
    'placement',
    'rabbitmq-server',
    'openstack-dashboard',
  ])
    t.deepEqual(byApp[app], ['active: Unit is ready'], app);
  t.deepEqual(byApp['ceph-osd'], ['blocked: No block devices detected using current configuration']);
  t.deepEqual(byApp['ceph-mon'], [
    'waiting: Monitor bootstrapped but waiting for number of OSDs to reach expected-osd-count (3)',
  ]);
  t.deepEqual(byApp.glance, ['waiting: Incomplete relations: storage-backend']);
  t.deepEqual(byApp['nova-compute'], ['waiting: Incomplete relations: storage-backend']);
  t.deepEqual(byApp['cinder-ceph'], ['waiting: Incomplete relations: ceph']);
  t.deepEqual(byApp.cinder, ['waiting: Incomplete relations: storage-backend']);
});

test('the same bundle with vault unlocking itself and OSDs on block devices settles: every unit active', (t) => {
  const bundle = readFileSync(
    new URL('../fixtures/juju/modern-before-issue-13.yaml', import.meta.url),
    'utf8',
  );
  const model = modelOf(bundle);
  Object.assign(model.applications.vault!.options, {
    'totally-unsecure-auto-unlock': true,
    'auto-generate-root-ca-cert': true,
  });
  model.applications['ceph-osd']!.options['osd-devices'] = '/dev/sdb';
  const notActive = Object.entries(statuses(model)).filter(([, status]) => !status.startsWith('active: '));
  t.deepEqual(notActive, []);
  const world = createCharmWorld({ model, speed: 0, readyAt: () => 0 });
  t.true(world.servesHttps(model.applications.keystone!.units['keystone/0']!, 1));
});
