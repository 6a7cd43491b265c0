import type { Ledger } from '../state/ledger.js';
import type { LabSpec } from '../lab/schema.js';
import type { LxdClient } from './client.js';
import { lxcEquivalent } from './lxc.js';
import { parseCidr } from '../lab/net.js';
import { JobError } from '../util/errors.js';
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
  /** The external network's bridge: its address is the gateway, the containers' eth1 is on it. */
  externalBridge: { name: string; address: string; created: boolean };
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

/**
 * The external network's bridge, owned by this host: its address is the external gateway, so floating
 * IPs and router uplinks reach the host; NAT lets instances out; no DHCP (Neutron hands out the
 * addresses) and no IPv6 (the lab's networks are IPv4). The 2016 spell made conjureup0 the same way.
 */
export function externalBridgeConfig(spec: LabSpec): Record<string, string> {
  const cidr = parseCidr(spec.network.externalCidr);
  if ('error' in cidr) throw new JobError(`network.externalCidr: ${cidr.error}`);
  return {
    'ipv4.address': `${spec.network.gateway}/${cidr.prefix}`,
    'ipv4.nat': 'true',
    'ipv4.dhcp': 'false',
    'ipv6.address': 'none',
    'bridge.mtu': String(spec.lxd.mtu),
  };
}

/** Create the external bridge when missing (recorded first); an existing one must carry the gateway. */
async function prepareExternalBridge(
  spec: LabSpec,
  deps: { client: LxdClient; ledger: Ledger; dryRun: boolean },
  commands: string[],
): Promise<PrepareReport['externalBridge']> {
  const name = spec.network.externalBridge;
  const config = externalBridgeConfig(spec);
  const address = config['ipv4.address']!;
  const existing = await deps.client.getNetwork(name);
  if (existing) {
    if (existing.config['ipv4.address'] !== address) {
      throw new JobError(
        `network.externalBridge: the bridge ${name} exists with ipv4.address ${existing.config['ipv4.address'] ?? '(none)'}, not the gateway ${address}; name another bridge in network.externalBridge, or change network.gateway to match it`,
      );
    }
    return { name, address, created: false };
  }
  commands.push(lxcEquivalent.networkCreate(name, config));
  if (!deps.dryRun) {
    const record = await deps.ledger.beginResource({ kind: 'lxd-network', name, data: { config } });
    await deps.client.createNetwork({
      name,
      type: 'bridge',
      description: `external network of lxdstack lab ${spec.name} (gateway ${address})`,
      config,
    });
    await deps.ledger.commitResource(record.id);
  }
  return { name, address, created: true };
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

/**
 * The pool and bridge a bare LXD lacks (`lxd init --preseed`) and the lab's external bridge, each
 * recorded before it is created.
 */
export async function preparePoolAndBridge(
  spec: LabSpec,
  deps: {
    client: LxdClient;
    ledger: Ledger;
    dryRun?: boolean;
    /** False where the external network lives in an inner LXD (the nested layout's outer container). */
    externalBridge?: boolean;
  },
): Promise<
  Pick<PrepareReport, 'pool' | 'bridge' | 'commands'> & Partial<Pick<PrepareReport, 'externalBridge'>>
> {
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

  const externalBridge =
    deps.externalBridge === false
      ? undefined
      : await prepareExternalBridge(spec, { client, ledger, dryRun }, commands);

  return {
    pool: { name: poolName, driver: pool?.driver ?? spec.lxd.storageDriver, created: !pool },
    bridge: { name: bridgeName, created: !bridge },
    ...(externalBridge ? { externalBridge } : {}),
    commands,
  };
}

/** The pool and bridges `preparePoolAndBridge` ensures that LXD no longer has, one phrase each. */
export async function poolAndBridgesMissing(
  spec: LabSpec,
  client: LxdClient,
  options: { externalBridge: boolean },
): Promise<string[]> {
  const bridges = [spec.lxd.bridge, ...(options.externalBridge ? [spec.network.externalBridge] : [])];
  const [pool, ...networks] = await Promise.all([
    client.getStoragePool(spec.lxd.storagePool),
    ...bridges.map((name) => client.getNetwork(name)),
  ]);
  return [
    ...(pool ? [] : [`storage pool ${spec.lxd.storagePool}`]),
    ...bridges.filter((_, i) => !networks[i]).map((name) => `network ${name}`),
  ];
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
    externalBridge: base.externalBridge!,
    profile: { name: profileName, created: !existing, ...differences },
    commands,
    dryRun,
  };
}
