import { externalBridgeConfig, poolAndBridgesMissing } from './prepare.js';
import type { LabSpec } from '../lab/schema.js';
import type { Ledger } from '../state/ledger.js';
import type { LxdClient } from './client.js';
import { measureHost, modelProfileName, parseModelProfile, type LxdPort } from './lab-port.js';
import { lxcEquivalent } from './lxc.js';

// A lab on this host's LXD: doctor's checks, the pool, bridge and model profile it needs (each creation
// recorded in the ledger), and teardown of exactly those. The modules that do the work load on first
// use, so that \`lxdstack plan\` (which only describes the steps) starts fast.

export function realLxdPort(input: {
  spec: LabSpec;
  profileYaml: () => Promise<string>;
  client: () => Promise<LxdClient>;
  env: NodeJS.ProcessEnv;
  labDirectory?: string;
}): LxdPort {
  const { spec } = input;
  const profileName = modelProfileName(spec.model);
  const teardown = () => import('./teardown.js');
  const prepare = async (ledger: Ledger) => {
    const { prepareLxd } = await import('./prepare.js');
    const report = await prepareLxd(spec, {
      client: await input.client(),
      ledger,
      profileName,
      profile: parseModelProfile(await input.profileYaml()),
    });
    const notes = [
      report.pool.created ? `pool ${report.pool.name} created` : `pool ${report.pool.name} present`,
      report.bridge.created ? `bridge ${report.bridge.name} created` : `bridge ${report.bridge.name} present`,
      `external bridge ${report.externalBridge.name} ${report.externalBridge.created ? 'created' : 'present'} (gateway ${report.externalBridge.address}, NAT, no DHCP)`,
      `profile ${profileName} applied`,
    ];
    if (report.profile.dropped.length) notes.push(`LXD dropped ${report.profile.dropped.join(', ')}`);
    for (const change of report.profile.changed)
      notes.push(`LXD changed ${change.key} to ${change.actual ?? '(nothing)'}`);
    return notes;
  };
  return {
    preflight: () => measureHost(spec, input.client, 'needed', input.env, input.labDirectory),
    prepare,
    preparationMissing: async () => {
      const client = await input.client();
      const [missing, profile] = await Promise.all([
        poolAndBridgesMissing(spec, client, { externalBridge: true }),
        client.getProfile(profileName),
      ]);
      return [...missing, ...(profile ? [] : [`profile ${profileName}`])];
    },
    applyModelProfile: async (ledger) =>
      (await prepare(ledger)).filter((n) => n.startsWith('profile') || n.startsWith('LXD')),
    removeLabResources: async (ledger) =>
      (await (await teardown()).removeLabLxdResources(ledger, await input.client())).map((s) => s.command),
    removeModelLeftovers: async (model) =>
      (await teardown()).removeModelLeftovers(await input.client(), model),
    leftovers: async (ledger, model) => (await teardown()).lxdLeftovers(ledger, await input.client(), model),
    inventory: async () => (await teardown()).lxdInventory(await input.client()),
    describe: {
      prepare: () => [
        lxcEquivalent.storageCreate(spec.lxd.storagePool, spec.lxd.storageDriver) + '  (only if missing)',
        lxcEquivalent.networkCreate(spec.lxd.bridge, {}) + '  (only if missing)',
        `${lxcEquivalent.networkCreate(spec.network.externalBridge, externalBridgeConfig(spec))}  (only if missing: the external network's gateway)`,
        lxcEquivalent.profileEdit(profileName),
      ],
      profile: () => lxcEquivalent.profileEdit(profileName),
    },
  };
}
