import test from 'ava';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/state/ledger.js';
import type { CheckResult } from '../../src/lxd/checks.js';
import { applyDoctorFixes, restoreHostChange, type SysctlAccess } from '../../src/lxd/host-changes.js';
import {
  lxdInventory,
  lxdLeftovers,
  removeLabLxdResources,
  removeModelLeftovers,
} from '../../src/lxd/teardown.js';
import type { JobError } from '../../src/util/errors.js';
import { MemoryLxd } from './memory-lxd.js';

async function openLedger(): Promise<Ledger> {
  return Ledger.open(await mkdtemp(join(tmpdir(), 'lxdstack-lxd-ledger-')), 'lab', 'doctor --fix');
}

function memorySysctl(values: Record<string, string>): SysctlAccess & { values: Record<string, string> } {
  return {
    values,
    read: async (key) => values[key],
    write: async (key, value) => void (values[key] = value),
  };
}

const ipv6Check: CheckResult = {
  id: 'bridge-ipv6',
  title: 'lxdbr0 IPv6',
  status: 'fail',
  measured: 'IPv6 on',
  fix: 'lxc network set lxdbr0 ipv6.address=none',
  change: { kind: 'lxd-network-config', network: 'lxdbr0', key: 'ipv6.address', value: 'none' },
};
const sysctlCheck: CheckResult = {
  id: 'sysctl:vm.max_map_count',
  title: 'vm.max_map_count',
  status: 'warn',
  measured: '65530',
  change: { kind: 'sysctl', key: 'vm.max_map_count', value: '262144' },
};
const poolCheck: CheckResult = {
  id: 'storage-pool',
  title: 'pool',
  status: 'fail',
  measured: 'missing',
  change: { kind: 'lxd-pool', name: 'default', driver: 'dir' },
};

test('--fix applies each change, records its previous value, and teardown puts every value back', async (t) => {
  const lxd = new MemoryLxd();
  lxd.networks.set('lxdbr0', {
    name: 'lxdbr0',
    type: 'bridge',
    managed: true,
    config: { 'ipv4.address': '10.0.8.1/24', 'ipv6.address': 'fd42::1/64' },
  });
  const sysctl = memorySysctl({ 'vm.max_map_count': '65530' });
  const ledger = await openLedger();
  const passing: CheckResult = { ...sysctlCheck, id: 'sysctl:other', status: 'pass' };

  const applied = await applyDoctorFixes([ipv6Check, sysctlCheck, poolCheck, passing], ledger, {
    client: lxd,
    sysctl,
  });
  t.deepEqual(
    applied.map((a) => `${a.checkId} ${a.command} was ${a.previous ?? '-'}`),
    [
      'bridge-ipv6 lxc network set lxdbr0 ipv6.address=none was fd42::1/64',
      'sysctl:vm.max_map_count sysctl -w vm.max_map_count=262144 was 65530',
      'storage-pool lxc storage create default dir was -',
    ],
  );
  t.is(lxd.networks.get('lxdbr0')?.config['ipv6.address'], 'none');
  t.is(lxd.networks.get('lxdbr0')?.config['ipv4.address'], '10.0.8.1/24', 'other keys are kept');
  t.is(sysctl.values['vm.max_map_count'], '262144');
  t.deepEqual(
    ledger.liveResources().map((r) => [r.kind, r.name, r.previous ?? null, r.state]),
    [
      ['lxd-network-config', 'lxdbr0:ipv6.address', 'fd42::1/64', 'created'],
      ['sysctl', 'vm.max_map_count', '65530', 'created'],
      ['lxd-pool', 'default', null, 'created'],
    ],
  );

  const steps = await removeLabLxdResources(ledger, lxd, { sysctl });
  t.deepEqual(
    steps.map((s) => s.command),
    [
      'lxc storage delete default',
      'sysctl -w vm.max_map_count=65530',
      'lxc network set lxdbr0 ipv6.address=fd42::1/64',
    ],
  );
  t.is(lxd.networks.get('lxdbr0')?.config['ipv6.address'], 'fd42::1/64');
  t.is(sysctl.values['vm.max_map_count'], '65530');
  t.false(lxd.pools.has('default'));
  t.deepEqual(ledger.liveResources(), []);
});

test('fixing the same setting twice keeps the original previous value', async (t) => {
  const lxd = new MemoryLxd();
  lxd.networks.set('lxdbr0', {
    name: 'lxdbr0',
    type: 'bridge',
    managed: true,
    config: { 'ipv6.address': 'auto' },
  });
  const ledger = await openLedger();
  await applyDoctorFixes([ipv6Check], ledger, { client: lxd });
  await applyDoctorFixes([ipv6Check], ledger, { client: lxd });
  t.deepEqual(
    ledger.liveResources().map((r) => r.previous),
    ['auto'],
  );
});

test('a key that was absent is unset again on restore', async (t) => {
  const lxd = new MemoryLxd();
  lxd.networks.set('lxdbr0', {
    name: 'lxdbr0',
    type: 'bridge',
    managed: true,
    config: { 'ipv4.address': '10.0.8.1/24' },
  });
  const ledger = await openLedger();
  const mtu: CheckResult = {
    id: 'bridge-mtu',
    title: 'mtu',
    status: 'warn',
    measured: '1500',
    change: { kind: 'lxd-network-config', network: 'lxdbr0', key: 'bridge.mtu', value: '9000' },
  };
  await applyDoctorFixes([mtu], ledger, { client: lxd });
  t.is(lxd.networks.get('lxdbr0')?.config['bridge.mtu'], '9000');
  const [record] = ledger.liveResources();
  t.is(await restoreHostChange(record!, lxd), 'lxc network unset lxdbr0 bridge.mtu');
  t.false('bridge.mtu' in (lxd.networks.get('lxdbr0')?.config ?? {}));
});

test('teardown goes on past a failure, reports it, and keeps it in the ledger for the next attempt', async (t) => {
  const lxd = new MemoryLxd();
  const ledger = await openLedger();
  await ledger.recordResource({ kind: 'lxd-pool', name: 'gone-pool', data: { driver: 'dir' } });
  await ledger.recordResource({ kind: 'sysctl', name: 'vm.max_map_count', previous: '65530' });
  const failing: SysctlAccess = {
    read: async () => undefined,
    write: async () => Promise.reject(new Error('read-only /proc/sys')),
  };
  const error = await t.throwsAsync(removeLabLxdResources(ledger, lxd, { sysctl: failing }));
  t.regex(error?.message ?? '', /could not undo 1 LXD change/);
  t.deepEqual(
    ledger.liveResources().map((r) => r.name),
    ['vm.max_map_count'],
  );
});

test('a record is released only once its removal is read back: a delete LXD accepted but did not do is kept', async (t) => {
  // LXD answers the delete, yet the bridge is still there when read back (recreated meanwhile, say).
  const lxd = new (class extends MemoryLxd {
    override async deleteNetwork(name: string) {
      this.calls.push(`deleteNetwork ${name}`);
    }
  })();
  await lxd.createNetwork({ name: 'lab-br', config: {} });
  await lxd.createStoragePool({ name: 'lab-pool', driver: 'dir' });
  const ledger = await openLedger();
  await ledger.recordResource({ kind: 'lxd-pool', name: 'lab-pool', data: { driver: 'dir' } });
  await ledger.recordResource({ kind: 'lxd-network', name: 'lab-br', data: { config: {} } });

  const error = await t.throwsAsync(removeLabLxdResources(ledger, lxd));
  t.regex(error?.message ?? '', /could not undo 1 LXD change/);
  t.deepEqual((error as JobError).details, [
    'lxd-network lab-br: the network still exists after `lxc network delete lab-br`',
  ]);
  t.deepEqual(
    ledger.liveResources().map((r) => `${r.kind} ${r.name}`),
    ['lxd-network lab-br'],
    'the pool, read back gone, is released; the bridge stays recorded for the next teardown',
  );
});

test("after a forced destroy-model, the model's instances and profiles go, and nothing else", async (t) => {
  const lxd = new MemoryLxd();
  await lxd.createInstance({
    name: 'juju-663cb8-0',
    source: { type: 'image', alias: 'x' },
    profiles: ['default', 'juju-openstack'],
  });
  await lxd.createInstance({
    name: 'juju-aaaaaa-0',
    source: { type: 'image', alias: 'x' },
    profiles: ['default', 'juju-other'],
  });
  for (const name of ['juju-openstack', 'juju-openstack-ceph-osd-3', 'juju-other', 'juju-openstacker'])
    lxd.profiles.set(name, { name, description: '', config: {}, devices: {} });
  const ledger = await openLedger();
  t.deepEqual(await lxdLeftovers(ledger, lxd, 'openstack'), [
    'Instance juju-663cb8-0 of model openstack still exists: lxc delete --force juju-663cb8-0.',
    'Profile juju-openstack still exists: lxc profile delete juju-openstack.',
  ]);
  t.deepEqual(await removeModelLeftovers(lxd, 'openstack'), [
    'lxc delete --force juju-663cb8-0',
    'lxc profile delete juju-openstack',
    'lxc profile delete juju-openstack-ceph-osd-3',
  ]);
  t.deepEqual([...lxd.instances.keys()], ['juju-aaaaaa-0']);
  t.deepEqual([...lxd.profiles.keys()], ['juju-other', 'juju-openstacker']);
  t.deepEqual(await lxdLeftovers(ledger, lxd, 'openstack'), []);
  t.regex(await lxdInventory(lxd), /^LXD 5\.0\.2 .*\nProfiles:\n {2}juju-other/);
});
