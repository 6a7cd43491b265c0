import test from 'ava';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/state/ledger.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import type { LxdInstance } from '../../src/lxd/types.js';
import {
  addDashboardProxy,
  createNestedHost,
  layoutMismatches,
  nestedHostLayout,
} from '../../src/lxd/nested.js';
import { nestedLxdPort } from '../../src/lxd/nested-lab-port.js';
import { removeLabLxdResources } from '../../src/lxd/teardown.js';
import {
  applyInnerProfile,
  innerLxdSteps,
  innerProfileSteps,
  networkOf,
  provisionSteps,
  runInnerSteps,
} from '../../src/lxd/inner-lxd.js';
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
  const steps = innerLxdSteps(spec);
  t.deepEqual(steps[1]?.run, [
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
  const ran = await runInnerSteps(lxd, 'openstack', steps, { timeoutMs: 10_000 });
  t.deepEqual(ran, [
    'lxc exec openstack -- lxc network create lxdbr0 ipv4.address=auto ipv4.nat=true ipv6.address=none',
  ]);
  lxd.execCodes.set('lxc storage show default', 1);
  lxd.execCodes.set('lxc storage create default dir', 1);
  const error = await t.throwsAsync(runInnerSteps(lxd, 'openstack', steps, { timeoutMs: 10_000 }));
  t.is(
    error?.message,
    '`lxc exec openstack -- lxc storage create default dir` exited with 1: Error: storage not found',
  );
});

test("provisioning installs LXD and the profile's juju in the outer container only where missing", async (t) => {
  const lxd = new MemoryLxd();
  await lxd.createInstance({ name: 'openstack', source: { type: 'image', alias: 'busybox' } });
  lxd.execCodes.set('juju version', 127);
  const ran = await runInnerSteps(lxd, 'openstack', provisionSteps(spec), { timeoutMs: 10_000 });
  t.deepEqual(ran, [
    'lxc exec openstack -- lxd waitready --timeout=300',
    'lxc exec openstack -- snap install juju --classic --channel=2.9/stable',
  ]);
  const conjure = provisionSteps({ ...spec, engine: 'conjure-up' }).map((s) => s.run.join(' '));
  t.true(conjure.includes('snap install conjure-up --classic'));
  const modern = provisionSteps({ ...defaultSpec('modern'), target: spec.target }).map((s) =>
    s.run.join(' '),
  );
  t.true(modern.includes('snap install juju --channel=3.6/stable'));
});

test('the inner profile is set key by key, devices replaced, then read back and compared', async (t) => {
  const steps = innerProfileSteps('juju-openstack', {
    config: { 'security.nesting': 'true' },
    devices: { tun: { type: 'unix-char', path: '/dev/net/tun' } },
  });
  t.deepEqual(
    steps.map((s) => [s.clear?.join(' '), s.run.join(' ')]),
    [
      [undefined, 'lxc profile create juju-openstack'],
      [undefined, 'lxc profile set juju-openstack security.nesting true'],
      [
        'lxc profile device remove juju-openstack tun',
        'lxc profile device add juju-openstack tun unix-char path=/dev/net/tun',
      ],
    ],
  );
  const lxd = new MemoryLxd();
  await lxd.createInstance({ name: 'openstack', source: { type: 'image', alias: 'busybox' } });
  // The inner LXD kept the device but not the config key.
  lxd.execOutputs.set(
    'lxc profile show juju-openstack',
    'config: {}\ndevices:\n  tun:\n    path: /dev/net/tun\n    type: unix-char\n',
  );
  const report = await applyInnerProfile(lxd, 'openstack', 'juju-openstack', {
    config: { 'security.nesting': true },
    devices: { tun: { type: 'unix-char', path: '/dev/net/tun' } },
  });
  t.deepEqual(report.dropped, ['config.security.nesting']);
  t.deepEqual(report.changed, []);
  t.is(report.commands.length, 2, 'the profile existed (show exited 0): only set and device add ran');
});

test("the route to the inner cloud covers the inner bridge's network", (t) => {
  t.is(networkOf('10.12.34.1/24'), '10.12.34.0/24');
  t.is(networkOf('10.0.3.1/16'), '10.0.0.0/16');
  t.is(networkOf('none'), undefined);
});

test("the nested port's preparation is lost when the outer container is gone or stopped", async (t) => {
  const lxd = new MemoryLxd();
  const port = nestedLxdPort({ spec, client: async () => lxd, env: {}, profileYaml: async () => '' });
  await lxd.createStoragePool({ name: 'default', driver: 'dir' });
  await lxd.createNetwork({ name: 'lxdbr0', config: {} });
  t.deepEqual(await port.preparationMissing(), ['outer container openstack']);
  await createNestedHost(spec, { client: lxd, ledger: await openLedger(), image: 'busybox' });
  t.deepEqual(await port.preparationMissing(), ['a running outer container openstack (it is Stopped)']);
  await lxd.setInstanceState('openstack', 'start');
  t.deepEqual(
    await port.preparationMissing(),
    [],
    "the external bridge is the inner LXD's, not looked for here",
  );
  lxd.networks.delete('lxdbr0');
  t.deepEqual(await port.preparationMissing(), ['network lxdbr0']);
});
