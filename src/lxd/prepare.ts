import type { Ledger } from '../state/ledger.js';
import type { LabSpec } from '../lab/schema.js';
import type { LxdClient } from './client.js';
import { lxcEquivalent } from './lxc.js';
import type { LxdConfig, LxdDevices, LxdProfile } from './types.js';

// Deploy's "prepare LXD" step: what `lxd init --preseed` would do for a bare LXD (a storage pool and a
// bridge, only when missing), then the model's profile applied and read back, because LXD silently
// drops or rewrites keys it does not accept as given.

/** The model's LXD profile as rendered from its template (values are stringified before sending). */
export interface ModelProfile {
  description?: string;
  config: Record<string, unknown>;
  devices: Record<string, Record<string, unknown>>;
}

export interface ProfileDifference {
  /** `config.<key>` or `devices.<device>[.<property>]`. */
  key: string;
  intended: string;
  /** Absent when LXD dropped the key. */
  actual?: string;
}

export interface PrepareReport {
  pool: { name: string; driver: string; created: boolean };
  bridge: { name: string; created: boolean };
  profile: { name: string; created: boolean; dropped: string[]; changed: ProfileDifference[] };
  /** What was run (or, with dryRun, would run), as `lxc` commands. */
  commands: string[];
  dryRun: boolean;
}

/** The bridge a bare LXD gets: NAT for charm downloads, IPv6 off for Juju, the lab's MTU. */
export function labBridgeConfig(spec: LabSpec): Record<string, string> {
  return {
    'ipv4.address': 'auto',
    'ipv4.nat': 'true',
    'ipv6.address': 'none',
    'bridge.mtu': String(spec.lxd.mtu),
  };
}

const str = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export function stringifyProfile(profile: ModelProfile): {
  description: string;
  config: LxdConfig;
  devices: LxdDevices;
} {
  return {
    description: profile.description ?? '',
    config: Object.fromEntries(Object.entries(profile.config).map(([k, v]) => [k, str(v)])),
    devices: Object.fromEntries(
      Object.entries(profile.devices).map(([name, props]) => [
        name,
        Object.fromEntries(Object.entries(props).map(([k, v]) => [k, str(v)])),
      ]),
    ),
  };
}

/** Every intended key LXD did not keep as given. Keys LXD added on its own are not differences. */
export function compareProfile(
  intended: { config: LxdConfig; devices: LxdDevices },
  actual: Pick<LxdProfile, 'config' | 'devices'>,
): { dropped: string[]; changed: ProfileDifference[] } {
  const dropped: string[] = [];
  const changed: ProfileDifference[] = [];
  const compare = (key: string, want: string, have: string | undefined) => {
    if (have === undefined) dropped.push(key);
    else if (have !== want) changed.push({ key, intended: want, actual: have });
  };
  for (const [key, value] of Object.entries(intended.config))
    compare(`config.${key}`, value, actual.config[key]);
  for (const [device, props] of Object.entries(intended.devices)) {
    const have = actual.devices[device];
    if (!have) {
      dropped.push(`devices.${device}`);
      continue;
    }
    for (const [prop, value] of Object.entries(props))
      compare(`devices.${device}.${prop}`, value, have[prop]);
  }
  return { dropped, changed };
}

/** The pool and bridge a bare LXD lacks (`lxd init --preseed`), each recorded before it is created. */
export async function preparePoolAndBridge(
  spec: LabSpec,
  deps: { client: LxdClient; ledger: Ledger; dryRun?: boolean },
): Promise<Pick<PrepareReport, 'pool' | 'bridge' | 'commands'>> {
  const { client, ledger } = deps;
  const dryRun = deps.dryRun ?? false;
  const commands: string[] = [];
  const poolName = spec.lxd.storagePool;
  const bridgeName = spec.lxd.bridge;

  const pool = await client.getStoragePool(poolName);
  if (!pool) {
    commands.push(lxcEquivalent.storageCreate(poolName, spec.lxd.storageDriver));
    if (!dryRun) {
      const record = await ledger.beginResource({
        kind: 'lxd-pool',
        name: poolName,
        data: { driver: spec.lxd.storageDriver },
      });
      await client.createStoragePool({
        name: poolName,
        driver: spec.lxd.storageDriver,
        description: `created by lxdstack for lab ${spec.name}`,
      });
      await ledger.commitResource(record.id);
    }
  }

  const bridge = await client.getNetwork(bridgeName);
  if (!bridge) {
    const config = labBridgeConfig(spec);
    commands.push(lxcEquivalent.networkCreate(bridgeName, config));
    if (!dryRun) {
      const record = await ledger.beginResource({ kind: 'lxd-network', name: bridgeName, data: { config } });
      await client.createNetwork({
        name: bridgeName,
        type: 'bridge',
        description: `created by lxdstack for lab ${spec.name}`,
        config,
      });
      await ledger.commitResource(record.id);
    }
  }

  return {
    pool: { name: poolName, driver: pool?.driver ?? spec.lxd.storageDriver, created: !pool },
    bridge: { name: bridgeName, created: !bridge },
    commands,
  };
}

export async function prepareLxd(
  spec: LabSpec,
  deps: { client: LxdClient; ledger: Ledger; profileName: string; profile: ModelProfile; dryRun?: boolean },
): Promise<PrepareReport> {
  const { client, ledger, profileName } = deps;
  const dryRun = deps.dryRun ?? false;
  const base = await preparePoolAndBridge(spec, deps);
  const commands = [...base.commands];
  const intended = stringifyProfile(deps.profile);
  const existing = await client.getProfile(profileName);
  commands.push(
    ...(existing ? [] : [lxcEquivalent.profileCreate(profileName)]),
    lxcEquivalent.profileEdit(profileName),
  );
  let differences: { dropped: string[]; changed: ProfileDifference[] } = { dropped: [], changed: [] };
  if (!dryRun) {
    const previous = existing
      ? { description: existing.description, config: existing.config, devices: existing.devices }
      : undefined;
    const record = await ledger.beginResource({
      kind: 'lxd-profile',
      name: profileName,
      ...(previous ? { previous } : {}),
    });
    if (existing) await client.updateProfile(profileName, intended);
    else await client.createProfile({ name: profileName, ...intended });
    await ledger.commitResource(record.id);
    const readBack = await client.getProfile(profileName);
    differences = readBack
      ? compareProfile(intended, readBack)
      : { dropped: Object.keys(intended.config).map((k) => `config.${k}`), changed: [] };
  }

  return {
    pool: base.pool,
    bridge: base.bridge,
    profile: { name: profileName, created: !existing, ...differences },
    commands,
    dryRun,
  };
}
