import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestStatus, parseStatus } from '../../src/juju/status.js';
import { FIXTURES, simLab } from './sim-lab.js';

const fixture = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(join(FIXTURES, name), 'utf8'));

test('juju 3.6.4 LXD example (spec §3.4.1): subordinates flattened under their principals', async (t) => {
  const status = parseStatus(await fixture('status-3.6.4-subordinates.json'));
  t.is(status.model.name, 't');
  t.deepEqual(Object.keys(status.machines).sort(), ['1', '2']);
  t.is(status.machines['1']!.dnsName, '10.103.56.99');
  t.is(status.machines['1']!.base, 'ubuntu@24.04');
  t.true(status.applications.nrpe!.subordinate);
  t.deepEqual(status.applications.nrpe!.subordinateTo, ['ubun2', 'ubuntu']);
  t.deepEqual(status.applications.nrpe!.units, ['nrpe/1', 'nrpe/2']);
  t.is(status.units['nrpe/2']!.principal, 'ubun2/0');
  t.is(status.units['nrpe/1']!.machine, undefined);
  t.deepEqual(status.applications.ubun2!.relations, [
    { endpoint: 'juju-info', relatedApplication: 'nrpe', interface: 'juju-info', scope: 'container' },
  ]);
  const digest = digestStatus(status);
  t.deepEqual(digest.applications.nrpe, {
    charm: 'nrpe',
    units: 2,
    ready: 0,
    errors: [],
    status: 'blocked',
    message: 'Nagios server not configured or related',
    leaders: 1,
    subordinate: true,
  });
  t.is(digest.applications.ubuntu!.ready, 1);
  t.deepEqual(digest.machines['2'], {
    state: 'started',
    address: '10.103.56.129',
    instanceId: 'juju-663cb8-2',
    message: 'Running',
  });
});

test('juju 3.6.1 k8s example (spec §3.4.2): no machines, unit without a machine', async (t) => {
  const status = parseStatus(await fixture('status-3.6.1-k8s.json'));
  t.deepEqual(status.machines, {});
  t.deepEqual(status.applications['snappass-test']!.units, ['snappass-test/0']);
  t.true(status.units['snappass-test/0']!.leader);
  t.is(digestStatus(status).applications['snappass-test']!.ready, 1);
});

test('2.9 relation shape, status-error entries and absent fields are tolerated', (t) => {
  const status = parseStatus({
    model: { name: 'm' },
    machines: { '0': { 'status-error': 'cannot get machine' } },
    applications: {
      mysql: {
        charm: 'cs:mysql-58',
        series: 'xenial',
        os: 'ubuntu',
        relations: { cluster: ['mysql'], db: ['wordpress'] },
        units: { 'mysql/0': { 'status-error': 'unit status unavailable' }, 'mysql/10': {}, 'mysql/9': {} },
      },
      broken: { 'status-error': 'application gone' },
    },
  });
  t.deepEqual(status.applications.mysql!.relations, [
    { endpoint: 'cluster', relatedApplication: 'mysql' },
    { endpoint: 'db', relatedApplication: 'wordpress' },
  ]);
  t.deepEqual(status.applications.mysql!.units, ['mysql/0', 'mysql/9', 'mysql/10']);
  t.is(status.applications.broken!.statusError, 'application gone');
  t.deepEqual(status.applications.broken!.units, []);
  const digest = digestStatus(status);
  t.deepEqual(digest.applications.mysql!.errors, ['mysql/0']);
  t.is(digest.machines['0']!.state, 'unknown');
  t.deepEqual(parseStatus(null).applications, {});
});

for (const version of ['2.9.46', '3.6.1']) {
  test(`juju ${version} simulator output parses with the flavour's shapes`, async (t) => {
    const lab = await simLab({ version });
    await lab.client.deploy({ model: lab.model, bundlePath: join(FIXTURES, 'two-apps.yaml') });
    const status = await lab.client.status(lab.model);
    const relation = status.applications.wordpress!.relations.find((r) => r.endpoint === 'db')!;
    t.is(relation.relatedApplication, 'mysql');
    t.is(relation.scope, version.startsWith('2.') ? undefined : 'global');
    t.is(status.machines['1']!.base, version.startsWith('2.') ? 'jammy' : 'ubuntu@22.04');
    const digest = digestStatus(status);
    t.deepEqual(
      Object.fromEntries(
        Object.entries(digest.applications).map(([n, a]) => [n, [a.units, a.ready, a.leaders]]),
      ),
      { mysql: [1, 1, 1], nrpe: [2, 2, 1], wordpress: [2, 2, 1] },
    );
  });
}
