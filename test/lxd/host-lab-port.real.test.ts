import test from 'ava';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLab } from '../../src/bundle/render.js';
import { createLxdClient, type LxdClient } from '../../src/lxd/client.js';
import { Ledger } from '../../src/state/ledger.js';
import { realLxdPort } from '../../src/lxd/host-lab-port.js';
import { defaultSpec } from '../../src/lab/defaults.js';

// Deploy's "prepare LXD" and "model profile" steps and teardown's LXD part, on the real LXD of
// scripts/lxd-up.sh: a pool and the rendered model profile are created and recorded, then removed
// exactly, leaving nothing. Only resources with a unique test name are touched.

async function realLxd(): Promise<LxdClient> {
  try {
    const client = createLxdClient();
    await client.getServer();
    if (!(await client.getNetwork('lxdbr0'))) throw new Error('there is no lxdbr0 bridge');
    return client;
  } catch (error) {
    throw new Error(
      `The real LXD is not ready (${(error as Error).message}): run \`bash scripts/lxd-up.sh\` first, then the real tests again.`,
      { cause: error },
    );
  }
}

test('the real LXD port prepares a pool and the model profile, records them, and teardown removes exactly those', async (t) => {
  const client = await realLxd();
  const tag = Math.random().toString(36).slice(2, 7);
  const base = defaultSpec('tutorial-2016');
  // this run's own external bridge and /24 (the tutorial's conjureup0 and 10.99.0.0/24 are shared names)
  const octet = 100 + (parseInt(tag, 36) % 150);
  const spec = {
    ...base,
    network: {
      ...base.network,
      externalCidr: `10.206.${octet}.0/24`,
      gateway: `10.206.${octet}.1`,
      externalBridge: `lxdpt${tag}x`,
    },
    model: `pt${tag}`,
    lxd: { storagePool: `lxdstack-pt-${tag}`, storageDriver: 'dir' as const, bridge: 'lxdbr0', mtu: 1500 },
  };
  const rendered = renderLab(spec, { adminPassword: 'placeholder-password' });
  const ledger = await Ledger.open(await mkdtemp(join(tmpdir(), 'lxdstack-lxd-port-')), 'pt', 'test');
  const port = realLxdPort({
    spec,
    client: async () => client,
    env: process.env,
    profileYaml: async () => rendered.lxdProfile,
  });
  try {
    t.deepEqual(await port.prepare(ledger), [
      `pool lxdstack-pt-${tag} created`,
      'bridge lxdbr0 present',
      `external bridge lxdpt${tag}x created (gateway 10.206.${octet}.1/24, NAT, no DHCP)`,
      `profile juju-pt${tag} applied`,
    ]);
    t.deepEqual(
      ledger.liveResources().map((r) => `${r.kind}:${r.name}:${r.state}`),
      [
        `lxd-pool:lxdstack-pt-${tag}:created`,
        `lxd-network:lxdpt${tag}x:created`,
        `lxd-profile:juju-pt${tag}:created`,
      ],
    );
    const profile = await client.getProfile(`juju-pt${tag}`);
    t.truthy(
      profile?.config['security.nesting'] ?? profile?.config['linux.kernel_modules'],
      'the rendered profile content reached LXD',
    );
    t.deepEqual(await port.applyModelProfile(ledger), [`profile juju-pt${tag} applied`]);
  } finally {
    t.deepEqual(await port.removeLabResources(ledger), [
      `lxc profile delete juju-pt${tag}`,
      `lxc network delete lxdpt${tag}x`,
      `lxc storage delete lxdstack-pt-${tag}`,
    ]);
  }
  t.deepEqual(await port.leftovers(ledger, spec.model), []);
  t.is(await client.getStoragePool(spec.lxd.storagePool), undefined);
  t.is(await client.getProfile(`juju-pt${tag}`), undefined);
  t.truthy(await client.getNetwork('lxdbr0'), 'a bridge the lab did not create is kept');
});
