import test from 'ava';
import type { CharmEndpoint, CharmMeta } from '../../src/bundle/charms/metadata.js';
import { charmFor } from '../../src/bundle/charms/catalogue.js';
import { resolveApplicationCharm } from '../../src/bundle/charms/resolve.js';
import type { PlainMap } from '../../src/bundle/merge.js';
import { parseBundleText } from '../../src/bundle/parse.js';
import { validateBundle, type CharmSource } from '../../src/bundle/validate.js';
import type { JujuFlavour } from '../../src/juju/syntax.js';
import { readReference } from './reference.js';

const provides = (iface: string): CharmEndpoint => ({ role: 'provider', interface: iface });
const requires = (iface: string, scope?: 'container'): CharmEndpoint => ({
  role: 'requirer',
  interface: iface,
  ...(scope ? { scope } : {}),
});

function charm(
  name: string,
  endpoints: Record<string, CharmEndpoint>,
  extra: Partial<CharmMeta> = {},
): CharmMeta {
  return {
    name,
    subordinate: false,
    series: [],
    endpoints,
    extraBindings: [],
    options: {},
    actions: {},
    ...extra,
  };
}

// Juju's own test charms, reduced to what the rules read (juju/charm internal/test-charm-repo)
const FOLDER = new Map<string, CharmMeta>([
  [
    'wordpress',
    charm(
      'wordpress',
      {
        url: provides('http'),
        'logging-dir': provides('logging'),
        db: requires('mysql'),
        cache: requires('varnish'),
        loadbalancer: { role: 'peer', interface: 'reversenginx' },
      },
      {
        extraBindings: ['admin-api'],
        options: { 'blog-title': { type: 'string' }, workers: { type: 'int' }, debug: { type: 'boolean' } },
      },
    ),
  ],
  ['mysql', charm('mysql', { server: provides('mysql') })],
  [
    'logging',
    charm(
      'logging',
      {
        'logging-client': provides('logging'),
        info: requires('juju-info', 'container'),
        'logging-directory': requires('logging', 'container'),
      },
      { subordinate: true },
    ),
  ],
  ['monitor', charm('monitor', { a: requires('http'), b: requires('http') })],
]);

const STRICT: CharmSource = { folder: FOLDER };
const BOTH: JujuFlavour[] = ['2.9', '3'];

function verdict(yaml: string, juju: JujuFlavour, charms: CharmSource = STRICT) {
  const [base, ...overlays] = parseBundleText(yaml, 'bundle.yaml');
  return validateBundle({ base, overlays }, { juju, charms });
}

const APPS = [
  'applications:',
  '  wordpress: {charm: wordpress, num_units: 1}',
  '  mysql: {charm: mysql, num_units: 1}',
  '  logging: {charm: logging}',
  '  monitor: {charm: monitor, num_units: 1}',
].join('\n');

interface Case {
  rule: string;
  yaml: string;
  errors: string[];
}

// Each rule of VerifyWithCharms (juju-spec.md §2.2) with Juju's message; the same in both flavours.
const cases: Case[] = [
  {
    rule: 'a bundle whose relations all fit its charms',
    yaml: `${APPS}\nrelations:\n- [wordpress:db, mysql:server]\n- [wordpress, logging]\n- [mysql, logging]\n- [logging:info, monitor:juju-info]\n`,
    errors: [],
  },
  {
    rule: 'strict: a charm the folder lacks',
    yaml: 'applications:\n  a: {charm: ghost, num_units: 1}\n',
    errors: ['application "a" refers to non-existent charm "ghost"'],
  },
  {
    rule: 'a subordinate takes no units and no placement',
    yaml: 'applications:\n  logging: {charm: logging, num_units: 1, to: ["0"]}\nmachines:\n  "0": {}\n',
    errors: [
      'application "logging" is subordinate but specifies unit placement',
      'application "logging" is subordinate but has non-zero num_units',
    ],
  },
  {
    rule: 'an endpoint the charm does not define',
    yaml: `${APPS}\nrelations:\n- [wordpress:nope, mysql:server]\n`,
    errors: ['charm "wordpress" used by application "wordpress" does not define relation "nope"'],
  },
  {
    rule: 'a peer endpoint is not a relation between applications',
    yaml: `${APPS}\nrelations:\n- [wordpress:loadbalancer, mysql:server]\n`,
    errors: ['charm "wordpress" used by application "wordpress" does not define relation "loadbalancer"'],
  },
  {
    rule: 'provider to provider (endpoints in Juju sorted order)',
    yaml: `${APPS}\nrelations:\n- [wordpress:url, mysql:server]\n`,
    errors: ['relation "mysql:server" to "wordpress:url" relates provider to provider'],
  },
  {
    rule: 'requirer to requirer',
    yaml: `${APPS}\nrelations:\n- [wordpress:db, monitor:a]\n`,
    errors: ['relation "monitor:a" to "wordpress:db" relates requirer to requirer'],
  },
  {
    rule: 'mismatched interface: provider first',
    yaml: `${APPS}\nrelations:\n- [wordpress:cache, mysql:server]\n`,
    errors: ['mismatched interface between "mysql:server" and "wordpress:cache" ("mysql" vs "varnish")'],
  },
  {
    rule: 'an inferred relation written twice',
    yaml: `${APPS}\nrelations:\n- [wordpress, mysql]\n- [mysql:server, wordpress:db]\n`,
    errors: ['relation ["mysql:server" "wordpress:db"] is defined more than once'],
  },
  {
    rule: 'inference: no relation fits',
    yaml: `${APPS}\nrelations:\n- [mysql, monitor]\n`,
    errors: ['cannot infer endpoint between mysql and monitor: no relations found'],
  },
  {
    rule: 'inference: ambiguous, candidates sorted',
    yaml: `${APPS}\nrelations:\n- [wordpress, monitor]\n`,
    errors: [
      'cannot infer endpoint between wordpress and monitor: ambiguous relation: wordpress monitor could refer to "monitor:a wordpress:url"; "monitor:b wordpress:url"',
    ],
  },
  {
    rule: 'inference with half an endpoint named',
    yaml: `${APPS}\nrelations:\n- [monitor:a, wordpress]\n`,
    errors: [],
  },
  {
    rule: 'strict inference: a SAAS has no charm, a missing charm is not found',
    yaml: 'applications:\n  wordpress: {charm: wordpress, num_units: 1}\n  ghost: {charm: ghost-charm, num_units: 1}\nsaas:\n  remote: {url: admin/m.db}\nrelations:\n- [wordpress, remote]\n- [ghost, wordpress]\n',
    errors: [
      'application "ghost" refers to non-existent charm "ghost-charm"',
      'cannot infer endpoint between wordpress and remote: application "remote" not found',
      'cannot infer endpoint between ghost and wordpress: charm "ghost-charm" from application "ghost" not found',
    ],
  },
  {
    rule: 'options: unknown name, wrong types',
    yaml: 'applications:\n  wordpress:\n    charm: wordpress\n    num_units: 1\n    options: {nope: 1, workers: many, blog-title: 42, debug: "true"}\n',
    errors: [
      'cannot validate application "wordpress": configuration option "nope" not found in charm "wordpress"',
      'cannot validate application "wordpress": option "workers" expected int, got "many"',
      'cannot validate application "wordpress": option "blog-title" expected string, got 42',
    ],
  },
  {
    rule: 'bindings: endpoints, extra-bindings and the default space are fine, anything else is not',
    yaml: 'applications:\n  wordpress:\n    charm: wordpress\n    num_units: 1\n    bindings: {"": alpha, db: beta, admin-api: alpha, loadbalancer: alpha, bogus: gamma}\n',
    errors: [
      'application "wordpress" wants to bind endpoint "bogus" to space "gamma", but the endpoint is not defined by the charm',
    ],
  },
];

for (const c of cases) {
  for (const juju of BOTH) {
    test(`juju ${juju}: ${c.rule}`, (t) => {
      const result = verdict(c.yaml, juju);
      t.deepEqual(
        { valid: result.valid, errors: [...result.errors].sort(), warnings: result.warnings },
        { valid: c.errors.length === 0, errors: [...c.errors].sort(), warnings: [] },
      );
    });
  }
}

test('charm checks run on the merged bundle only: an overlay can fix a relation the base gets wrong', (t) => {
  const yaml = `${APPS}\nrelations:\n- [wordpress:nope, mysql:server]\n---\napplications:\n  mysql:\n`;
  t.deepEqual(verdict(yaml, '3').errors, []);
});

test('the catalogue: a known track gives errors in Juju words, the charm string as the bundle wrote it', (t) => {
  const yaml = [
    'applications:',
    '  keystone: {charm: ch:keystone, channel: 2024.1/stable, num_units: 1}',
    '  glance: {charm: glance, channel: 2024.1/stable, num_units: 1}',
    'relations:',
    '- [glance:identity-service, keystone:identity-admin]',
    '- [glance:amqp, keystone:identity-service]',
    '',
  ].join('\n');
  const result = verdict(yaml, '3', {});
  t.deepEqual(result.errors, [
    'mismatched interface between "keystone:identity-admin" and "glance:identity-service" ("keystone-admin" vs "keystone")',
    'mismatched interface between "keystone:identity-service" and "glance:amqp" ("keystone" vs "rabbitmq")',
  ]);
  t.deepEqual(result.unchecked, []);
});

test('a Charmhub charm whose channel names no track is checked against the newest, with warnings', (t) => {
  const yaml = 'applications:\n  k: {charm: keystone, channel: stable, num_units: 1, options: {bogus: 1}}\n';
  t.deepEqual(verdict(yaml, '3', {}).warnings, [
    'cannot validate application "k": configuration option "bogus" not found in charm "keystone" (charm "keystone" names no track (give it a channel with one, such as 2024.1/stable); checked against track "2024.1")',
  ]);
});

test('the catalogue: a charm it does not know is not checked and is named, never an error', (t) => {
  const yaml =
    'applications:\n  a: {charm: my-charm, num_units: 1, options: {anything: 1}}\n  b: {charm: ch:other, num_units: 1}\nrelations:\n- [a, b]\n';
  t.deepEqual(verdict(yaml, '3', {}), {
    valid: true,
    errors: [],
    warnings: [],
    unchecked: ['ch:other', 'my-charm'],
  });
});

test("the issue's jammy/yoga OVN bundle: a track the catalogue lacks gives warnings, an 8.0 option is fine", (t) => {
  const yaml = [
    'series: jammy',
    'applications:',
    '  ceph-osd: {charm: ceph-osd, channel: quincy/stable, num_units: 1, options: {bluestore: true, osd-devices: /dev/vdb}}',
    '  mysql-innodb-cluster: {charm: mysql-innodb-cluster, channel: 8.0/stable, num_units: 3, options: {snapd_refresh: max}}',
    '',
  ].join('\n');
  t.deepEqual(verdict(yaml, '3', {}), {
    valid: true,
    errors: [],
    warnings: [
      'cannot validate application "ceph-osd": configuration option "bluestore" not found in charm "ceph-osd" (the catalogue has no track "quincy" of charm "ceph-osd"; checked against track "reef")',
    ],
    unchecked: [],
  });
});

test('cs: charms take their track from the profile (--profile); without it, findings are warnings', (t) => {
  const yaml = (options: string) =>
    `series: xenial\nservices:\n  rabbitmq-server: {charm: cs:xenial/rabbitmq-server, num_units: 1, options: {${options}}}\n`;
  // known-wait came with the 18.02 charm
  t.deepEqual(verdict(yaml('known-wait: 30'), '2.9', { tracks: { '*': '18.02' } }).errors, []);
  t.deepEqual(verdict(yaml('known-wait: 30'), '2.9', { tracks: { '*': '16.10', lxd: '19.04' } }).errors, [
    'cannot validate application "rabbitmq-server": configuration option "known-wait" not found in charm "cs:xenial/rabbitmq-server"',
  ]);
  const untracked = verdict(yaml('known-wait: 30, bogus: 1'), '2.9', {});
  t.deepEqual(
    [untracked.valid, untracked.errors, untracked.warnings],
    [
      true,
      [],
      [
        'cannot validate application "rabbitmq-server": configuration option "bogus" not found in charm "cs:xenial/rabbitmq-server" (charm "cs:xenial/rabbitmq-server" names no track (--profile names the tracks of cs: charms); checked against track "18.02")',
      ],
    ],
  );
});

test("the charmers' reference bundle (noble, squid, 8.0) is valid with every charm checked", (t) => {
  const result = verdict(readReference('charm-guide-bundle-noble-2024.1.yaml'), '3', {});
  t.deepEqual(result, { valid: true, errors: [], warnings: [], unchecked: [] });
  // on noble the -noble tracks are the ones read: squid-jammy's ceph-osd would not do there
  const broken = readReference('charm-guide-bundle-noble-2024.1.yaml').replace(
    '- - ceph-osd:mon\n  - ceph-mon:osd',
    '- - ceph-osd:mon\n  - ceph-mon:client',
  );
  t.deepEqual(verdict(broken, '3', {}).errors, [
    'mismatched interface between "ceph-mon:client" and "ceph-osd:mon" ("ceph-client" vs "ceph-osd")',
  ]);
});

test('local charms are checked with the metadata read from their folder, by cleaned path', (t) => {
  const mine = charm('mine', { db: requires('mysql') }, { options: { port: { type: 'int' } } });
  const yaml =
    'applications:\n  a: {charm: ./charms/./mine, num_units: 1, options: {port: high}}\n  mysql: {charm: mysql, channel: 8.0/stable, num_units: 1}\n  b: {charm: ./mine.charm, num_units: 1}\nrelations:\n- [a:db, mysql:nothing]\n';
  const [base] = parseBundleText(yaml, 'bundle.yaml');
  const local = new Map<string, CharmMeta | null>([
    ['/lab/charms/mine', mine],
    ['/lab/mine.charm', null],
  ]);
  const result = validateBundle({ base }, { juju: '3', bundleDir: '/lab', charms: { local } });
  t.deepEqual(result, {
    valid: false,
    errors: ['cannot validate application "a": option "port" expected int, got "high"'],
    warnings: [],
    // mysql is no catalogued charm; an archive cannot be read here
    unchecked: ['./mine.charm', 'mysql'],
  });
});

test('on noble the catalogue reads the -noble builds where they differ', (t) => {
  const doc = parseBundleText(readReference('charm-guide-bundle-noble-2024.1.yaml'), 'r')[0]!;
  const apps = doc.applications as Record<string, PlainMap>;
  for (const [name, charmName, track] of [
    ['ceph-osd', 'ceph-osd', 'squid-noble'],
    ['ovn-chassis', 'ovn-chassis', '24.03-noble'],
    ['vault', 'vault', '1.8-noble'],
    ['keystone-mysql-router', 'mysql-router', '8.0-noble'],
    ['keystone', 'keystone', '2024.1'],
    ['rabbitmq-server', 'rabbitmq-server', '3.12'],
  ]) {
    const resolved = resolveApplicationCharm(apps[name!]!, doc, '3', {}, '.');
    t.true(resolved.kind === 'checked' && resolved.meta === charmFor(charmName!, track!), name);
  }
});
