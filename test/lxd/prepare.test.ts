import test from 'ava';
import fc from 'fast-check';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/state/ledger.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { parseYaml } from '../../src/util/yaml.js';
import { compareProfile, prepareLxd, stringifyProfile, type ModelProfile } from '../../src/lxd/prepare.js';
import { realLxdPort } from '../../src/lxd/host-lab-port.js';
import { removeLabLxdResources } from '../../src/lxd/teardown.js';
import { MemoryLxd } from './memory-lxd.js';

const spec = defaultSpec('tutorial-2016');

async function modelProfile(): Promise<ModelProfile> {
  const path = new URL('../fixtures/lxd/model-profile.yaml', import.meta.url);
  return parseYaml(await readFile(path, 'utf8'), 'model-profile.yaml') as ModelProfile;
}

async function openLedger(): Promise<Ledger> {
  return Ledger.open(await mkdtemp(join(tmpdir(), 'lxdstack-prepare-')), 'lab', 'deploy');
}

test('values are sent to LXD as strings (it rejects numbers)', async (t) => {
  const profile = stringifyProfile(await modelProfile());
  t.is(profile.devices.eth0?.mtu, '9000');
  t.is(profile.config['security.nesting'], 'true');
});

test('compareProfile names every key LXD dropped or changed, and ignores keys it added', (t) => {
  const intended = {
    config: { 'security.nesting': 'true', 'boot.autostart': 'true' },
    devices: { eth0: { type: 'nic', mtu: '9000' }, mem: { type: 'unix-char', path: '/dev/mem' } },
  };
  const actual = {
    config: { 'security.nesting': 'true', 'user.extra': 'x' },
    devices: { eth0: { type: 'nic', mtu: '1500', name: 'eth0' } },
  };
  t.deepEqual(compareProfile(intended, actual), {
    dropped: ['config.boot.autostart', 'devices.mem'],
    changed: [{ key: 'devices.eth0.mtu', intended: '9000', actual: '1500' }],
  });
});

test('on a bare LXD: pool, bridge and profile are created, recorded, read back; teardown removes them', async (t) => {
  const lxd = new MemoryLxd();
  const ledger = await openLedger();
  const report = await prepareLxd(spec, {
    client: lxd,
    ledger,
    profileName: 'juju-openstack',
    profile: await modelProfile(),
  });
  t.deepEqual(report.commands, [
    'lxc storage create default dir',
    'lxc network create lxdbr0 ipv4.address=auto ipv4.nat=true ipv6.address=none bridge.mtu=1500',
    'lxc network create conjureup0 ipv4.address=10.99.0.1/24 ipv4.nat=true ipv4.dhcp=false ipv6.address=none bridge.mtu=1500',
    'lxc profile create juju-openstack',
    'lxc profile edit juju-openstack < juju-openstack.yaml',
  ]);
  t.deepEqual(report.profile, { name: 'juju-openstack', created: true, dropped: [], changed: [] });
  t.true(report.pool.created && report.bridge.created && report.externalBridge.created);
  t.is(report.externalBridge.address, '10.99.0.1/24');
  t.deepEqual(
    ledger.liveResources().map((r) => `${r.kind} ${r.name}`),
    ['lxd-pool default', 'lxd-network lxdbr0', 'lxd-network conjureup0', 'lxd-profile juju-openstack'],
  );

  await removeLabLxdResources(ledger, lxd);
  t.is(lxd.profiles.size + lxd.networks.size + lxd.pools.size, 0);
});

test('an existing profile is updated, differences LXD introduced are reported, and teardown restores the old content', async (t) => {
  const lxd = new MemoryLxd();
  lxd.pools.set('default', { name: 'default', driver: 'dir', config: {} });
  lxd.networks.set('lxdbr0', { name: 'lxdbr0', type: 'bridge', managed: true, config: {} });
  const gateway = { 'ipv4.address': '10.99.0.1/24' };
  lxd.networks.set('conjureup0', { name: 'conjureup0', type: 'bridge', managed: true, config: gateway });
  const old = { name: 'juju-openstack', description: 'before', config: { 'user.note': 'old' }, devices: {} };
  lxd.profiles.set('juju-openstack', old);
  // Model an LXD that drops a key it does not know and clamps the MTU.
  lxd.storeProfile = (p) => {
    const config = { ...p.config };
    delete config['boot.autostart'];
    const devices = structuredClone(p.devices);
    if (devices.eth0) devices.eth0.mtu = '1500';
    return { ...p, config, devices };
  };
  const ledger = await openLedger();
  const report = await prepareLxd(spec, {
    client: lxd,
    ledger,
    profileName: 'juju-openstack',
    profile: await modelProfile(),
  });
  t.false(report.pool.created || report.bridge.created);
  t.deepEqual(report.commands, ['lxc profile edit juju-openstack < juju-openstack.yaml']);
  t.deepEqual(report.profile.dropped, ['config.boot.autostart']);
  t.deepEqual(report.profile.changed, [{ key: 'devices.eth0.mtu', intended: '9000', actual: '1500' }]);

  lxd.storeProfile = (p) => p;
  await removeLabLxdResources(ledger, lxd);
  t.deepEqual(lxd.profiles.get('juju-openstack'), old);
  t.true(lxd.pools.has('default') && lxd.networks.has('lxdbr0'), 'what existed before is left alone');
});

test('dry run reads only and lists the commands it would run', async (t) => {
  const lxd = new MemoryLxd();
  const ledger = await openLedger();
  const report = await prepareLxd(spec, {
    client: lxd,
    ledger,
    profileName: 'juju-openstack',
    profile: await modelProfile(),
    dryRun: true,
  });
  t.is(report.commands.length, 5);
  t.deepEqual(lxd.calls, []);
  t.deepEqual(ledger.liveResources(), []);
});

test('compareProfile: a profile read back as sent has no differences; any key removed is reported as dropped', (t) => {
  const key = fc.stringMatching(/^[a-z][a-z.]{0,12}$/);
  const value = fc.string({ maxLength: 8 });
  fc.assert(
    fc.property(
      fc.dictionary(key, value, { minKeys: 1 }),
      fc.dictionary(key, fc.dictionary(key, value), { maxKeys: 3 }),
      (config, devices) => {
        const intended = { config, devices };
        if (JSON.stringify(compareProfile(intended, intended)) !== '{"dropped":[],"changed":[]}')
          return false;
        const [first] = Object.keys(config);
        const { [first as string]: _gone, ...rest } = config;
        return compareProfile(intended, { config: rest, devices }).dropped.includes(`config.${first}`);
      },
    ),
  );
  t.pass();
});

test('an external bridge that exists with another address is refused, naming both ways out', async (t) => {
  const lxd = new MemoryLxd();
  const other = { 'ipv4.address': '10.50.0.1/24' };
  lxd.networks.set('conjureup0', { name: 'conjureup0', type: 'bridge', managed: true, config: other });
  const error = await t.throwsAsync(
    prepareLxd(spec, {
      client: lxd,
      ledger: await openLedger(),
      profileName: 'p',
      profile: await modelProfile(),
    }),
  );
  t.is(
    error.message,
    'network.externalBridge: the bridge conjureup0 exists with ipv4.address 10.50.0.1/24, not the gateway 10.99.0.1/24; name another bridge in network.externalBridge, or change network.gateway to match it',
  );
});

test("this host's LXD port names what its preparation lost since, and preparing again puts it back", async (t) => {
  const lxd = new MemoryLxd();
  const ledger = await openLedger();
  const port = realLxdPort({
    spec,
    client: async () => lxd,
    env: {},
    profileYaml: async () => readFile(new URL('../fixtures/lxd/model-profile.yaml', import.meta.url), 'utf8'),
  });
  t.deepEqual(await port.preparationMissing(), [
    'storage pool default',
    'network lxdbr0',
    'network conjureup0',
    'profile juju-openstack',
  ]);
  await port.prepare(ledger);
  t.deepEqual(await port.preparationMissing(), []);

  lxd.networks.delete('conjureup0');
  lxd.profiles.delete('juju-openstack');
  t.deepEqual(await port.preparationMissing(), ['network conjureup0', 'profile juju-openstack']);
  await port.prepare(ledger);
  t.deepEqual(await port.preparationMissing(), []);
});
