import test from 'ava';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/pipeline/ledger.js';
import { defaultSpec } from '../../src/spec/defaults.js';
import type { LxdInstance } from '../../src/lxd/types.js';
import {
  addDashboardProxy,
  createNestedHost,
  initInnerLxd,
  innerLxdCommands,
  layoutMismatches,
  nestedHostLayout,
} from '../../src/lxd/nested.js';
import { removeLabLxdResources } from '../../src/lxd/teardown.js';
import { MemoryLxd } from './memory-lxd.js';

const spec = {
  ...defaultSpec('tutorial-2016'),
  target: { kind: 'nested-container' as const, cloud: 'localhost', container: 'openstack' },
};

async function openLedger(): Promise<Ledger> {
  return Ledger.open(await mkdtemp(join(tmpdir(), 'lxdstack-nested-')), 'lab', 'deploy');
}

test("the outer container has the 2016 tutorial's settings", (t) => {
  const layout = nestedHostLayout(spec);
  t.deepEqual(layout.config, {
    'security.privileged': 'true',
    'security.nesting': 'true',
    'linux.kernel_modules': 'iptable_nat,ip6table_nat,ebtables,openvswitch',
  });
  t.deepEqual(layout.devices.mem, { type: 'unix-char', path: '/dev/mem' });
});

test('the effective config LXD 5.0.2 reported for such a container matches the layout', async (t) => {
  const recorded = JSON.parse(
    await readFile(new URL('../fixtures/lxd/instance-nested.json', import.meta.url), 'utf8'),
  ) as { metadata: LxdInstance };
  const instance = recorded.metadata;
  t.deepEqual(
    layoutMismatches(nestedHostLayout(spec), {
      config: instance.expanded_config,
      devices: instance.expanded_devices,
    }),
    [],
  );
  const without = { ...instance.expanded_config, 'security.nesting': 'false' };
  t.deepEqual(
    layoutMismatches(nestedHostLayout(spec), { config: without, devices: instance.expanded_devices }),
    ['config.security.nesting: wanted true, LXD has false'],
  );
});

test('createNestedHost records the instance before creating it; teardown removes device and instance', async (t) => {
  const lxd = new MemoryLxd();
  const ledger = await openLedger();
  const report = await createNestedHost(spec, { client: lxd, ledger, image: 'busybox' });
  t.true(report.created);
  t.is(
    report.commands[0],
    'lxc init busybox openstack -c security.privileged=true -c security.nesting=true -c linux.kernel_modules=iptable_nat,ip6table_nat,ebtables,openvswitch',
  );
  t.true(report.commands.includes('lxc config device add openstack mem unix-char path=/dev/mem'));
  const again = await createNestedHost(spec, { client: lxd, ledger, image: 'busybox' });
  t.false(again.created, 'a second run finds it and checks it');

  const command = await addDashboardProxy(lxd, ledger, {
    instance: 'openstack',
    listen: 'tcp:127.0.0.1:8443',
    connect: 'tcp:10.0.8.20:443',
  });
  t.is(
    command,
    'lxc config device add openstack lxdstack-dashboard proxy listen=tcp:127.0.0.1:8443 connect=tcp:10.0.8.20:443',
  );
  t.deepEqual(
    ledger.liveResources().map((r) => `${r.kind} ${r.name}`),
    ['lxd-instance openstack', 'lxd-device openstack/lxdstack-dashboard'],
  );

  const steps = await removeLabLxdResources(ledger, lxd);
  t.deepEqual(
    steps.map((s) => s.command),
    ['lxc config device remove openstack lxdstack-dashboard', 'lxc delete --force openstack'],
  );
  t.false(lxd.instances.has('openstack'));
});

test('an existing container without the tutorial settings is refused, naming each difference', async (t) => {
  const lxd = new MemoryLxd();
  await lxd.createInstance({
    name: 'openstack',
    source: { type: 'image', alias: 'busybox' },
    config: { 'security.privileged': 'true' },
  });
  const error = await t.throwsAsync(
    createNestedHost(spec, { client: lxd, ledger: await openLedger(), image: 'busybox' }),
  );
  t.regex(error?.message ?? '', /does not have the tutorial's settings \(it existed before this run\)/);
});

test('the inner LXD gets a dir pool and a bridge without IPv6, as argv, skipping what exists', async (t) => {
  const commands = innerLxdCommands(spec);
  t.deepEqual(commands[1]?.create, [
    'lxc',
    'network',
    'create',
    'lxdbr0',
    'ipv4.address=auto',
    'ipv4.nat=true',
    'ipv6.address=none',
  ]);
  const lxd = new MemoryLxd();
  await lxd.createInstance({ name: 'openstack', source: { type: 'image', alias: 'busybox' } });
  lxd.execCodes.set('lxc network show lxdbr0', 1);
  const ran = await initInnerLxd(lxd, 'openstack', spec, { timeoutMs: 10_000 });
  t.deepEqual(ran, [
    'lxc exec openstack -- lxc network create lxdbr0 ipv4.address=auto ipv4.nat=true ipv6.address=none',
  ]);
  lxd.execCodes.set('lxc storage show default', 1);
  lxd.execCodes.set('lxc storage create default dir', 1);
  const error = await t.throwsAsync(initInnerLxd(lxd, 'openstack', spec, { timeoutMs: 10_000 }));
  t.is(
    error?.message,
    '`lxc exec openstack -- lxc storage create default dir` exited with 1: Error: storage not found',
  );
});
