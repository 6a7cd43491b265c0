import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import type { LabSpec } from '../../src/lab/schema.js';
import { createLxdClient } from '../../src/lxd/client.js';
import { execInInstance, removeInstance } from '../../src/lxd/instances.js';
import { prepareLxd } from '../../src/lxd/prepare.js';
import { removeLabLxdResources } from '../../src/lxd/teardown.js';
import { Ledger } from '../../src/state/ledger.js';

// The external network's bridge on the real LXD (scripts/lxd-up.sh): prepare creates it with the
// gateway as its address, a container's second NIC on it reaches that gateway (as floating IPs and
// router uplinks will), and teardown removes it. Names and the /24 are this run's own.

const run = randomBytes(3).toString('hex');
const prefix = `lxdxb-${run}`;
const octet = 100 + (parseInt(run, 16) % 150);
const client = createLxdClient({ timeoutMs: 20_000 });

function externalSpec(): LabSpec {
  const spec = defaultSpec('modern');
  return {
    ...spec,
    network: {
      ...spec.network,
      externalCidr: `10.205.${octet}.0/24`,
      gateway: `10.205.${octet}.1`,
      floatingStart: `10.205.${octet}.10`,
      floatingEnd: `10.205.${octet}.254`,
      externalBridge: `${prefix}x`,
    },
  };
}

test.before(async () => {
  await client.getServer();
});

test.serial(
  'prepare creates the gateway-owning bridge; eth1 on it reaches the gateway; teardown removes it',
  async (t) => {
    const spec = externalSpec();
    const bridge = spec.network.externalBridge;
    const profileName = `${prefix}-p`;
    const instance = `${prefix}-c`;
    t.teardown(async () => {
      await removeInstance(client, instance).catch(() => undefined);
      await client.deleteProfile(profileName).catch(() => undefined);
      await client.deleteNetwork(bridge).catch(() => undefined);
    });
    const ledger = await Ledger.open(await mkdtemp(join(tmpdir(), 'lxdstack-xb-')), 'lab', 'deploy');
    // the model profile's eth1, as templates/lxd/profile.yaml.hbs renders it
    const profile = {
      config: {},
      devices: { eth1: { name: 'eth1', nictype: 'bridged', parent: bridge, type: 'nic' } },
    };
    const report = await prepareLxd(spec, { client, ledger, profileName, profile });
    t.deepEqual(report.externalBridge, { name: bridge, address: `10.205.${octet}.1/24`, created: true });
    const network = await client.getNetwork(bridge);
    t.like(network?.config, {
      'ipv4.address': `10.205.${octet}.1/24`,
      'ipv4.nat': 'true',
      'ipv4.dhcp': 'false',
      'ipv6.address': 'none',
    });
    t.true(ledger.liveResources('lxd-network').some((r) => r.name === bridge));

    // a second prepare finds it and records nothing new
    const again = await prepareLxd(spec, { client, ledger, profileName, profile });
    t.false(again.externalBridge.created);

    await client.createInstance({
      name: instance,
      source: { type: 'image', alias: 'busybox' },
      profiles: ['default', profileName],
    });
    await client.setInstanceState(instance, 'start');
    const address = `10.205.${octet}.10/24`;
    await execInInstance(client, instance, ['ip', 'addr', 'add', address, 'dev', 'eth1'], {
      timeoutMs: 10_000,
    });
    await execInInstance(client, instance, ['ip', 'link', 'set', 'eth1', 'up'], { timeoutMs: 10_000 });
    const ping = await execInInstance(
      client,
      instance,
      ['ping', '-c', '1', '-W', '3', spec.network.gateway],
      {
        timeoutMs: 15_000,
        allowFailure: true,
      },
    );
    t.is(ping.exitCode, 0, `ping of the gateway from eth1: ${ping.stdout}${ping.stderr}`);

    await removeInstance(client, instance);
    await removeLabLxdResources(ledger, client);
    t.is(await client.getNetwork(bridge), undefined, 'teardown removed the bridge');
    t.is(await client.getProfile(profileName), undefined);
  },
);
