import { writeFile } from 'node:fs/promises';
import { JobError, errorMessage } from '../util/errors.js';
import type { Ledger, ResourceRecord } from '../state/ledger.js';
import type { LxdClient } from './client.js';
import type { CheckResult, HostChange } from './checks.js';
import type { LxdProfile } from './types.js';
import { ipRoutes, routeCommand, type RouteAccess } from './host-route.js';
import { removeInstance } from './instances.js';
import { lxcEquivalent } from './lxc.js';
import { compareProfile } from './prepare.js';
import { probeSysctl, sysctlPath } from './probes.js';

// doctor --fix: apply each safe fix, recording it in the lab's ledger with the value it replaced, so
// that teardown can put every host setting back (restoreHostChange).

export interface SysctlAccess {
  read(key: string): Promise<string | undefined>;
  write(key: string, value: string): Promise<void>;
}

export const procSysctl: SysctlAccess = {
  read: async (key) => (await probeSysctl([key]))[key],
  write: async (key, value) => {
    try {
      await writeFile(sysctlPath(key), `${value}\n`, { signal: AbortSignal.timeout(2_000) });
    } catch (error) {
      throw new JobError(
        `Cannot set ${key}=${value} (${errorMessage(error)}); run as root: ${lxcEquivalent.sysctlSet(key, value)}.`,
      );
    }
  },
};

export interface AppliedFix {
  checkId: string;
  change: HostChange;
  /** The equivalent command, for the report. */
  command: string;
  previous?: string;
}

/** Apply the fixes of every warn/fail result that carries a change; each is recorded before it is made. */
export async function applyDoctorFixes(
  results: readonly CheckResult[],
  ledger: Ledger,
  deps: { client: LxdClient; sysctl?: SysctlAccess },
): Promise<AppliedFix[]> {
  const applied: AppliedFix[] = [];
  for (const result of results) {
    if (result.status === 'pass' || !result.change) continue;
    applied.push({ checkId: result.id, ...(await applyHostChange(result.change, ledger, deps)) });
  }
  return applied;
}

export async function applyHostChange(
  change: HostChange,
  ledger: Ledger,
  deps: { client: LxdClient; sysctl?: SysctlAccess },
): Promise<Omit<AppliedFix, 'checkId'>> {
  const { client } = deps;
  switch (change.kind) {
    case 'sysctl': {
      const sysctl = deps.sysctl ?? procSysctl;
      const previous = await sysctl.read(change.key);
      const record = await ledger.beginResource({
        kind: 'sysctl',
        name: change.key,
        previous,
        data: { value: change.value },
      });
      await sysctl.write(change.key, change.value);
      await ledger.commitResource(record.id, { value: change.value });
      return {
        change,
        command: lxcEquivalent.sysctlSet(change.key, change.value),
        ...(previous === undefined ? {} : { previous }),
      };
    }
    case 'lxd-network-config': {
      const network = await client.getNetwork(change.network);
      if (!network)
        throw new JobError(
          `Network ${change.network} disappeared before its ${change.key} could be set; run doctor again.`,
        );
      const previous = network.config[change.key];
      const record = await ledger.beginResource({
        kind: 'lxd-network-config',
        name: `${change.network}:${change.key}`,
        previous: previous ?? null,
        data: { network: change.network, key: change.key, value: change.value ?? null },
      });
      await client.updateNetwork(change.network, {
        description: network.description ?? '',
        config: withKey(network.config, change.key, change.value),
      });
      await ledger.commitResource(record.id);
      return {
        change,
        command: lxcEquivalent.networkSet(change.network, change.key, change.value),
        ...(previous === undefined ? {} : { previous }),
      };
    }
    case 'lxd-network': {
      const record = await ledger.beginResource({
        kind: 'lxd-network',
        name: change.name,
        data: { config: change.config },
      });
      await client.createNetwork({
        name: change.name,
        type: 'bridge',
        description: 'created by lxdstack',
        config: change.config,
      });
      await ledger.commitResource(record.id);
      return { change, command: lxcEquivalent.networkCreate(change.name, change.config) };
    }
    case 'lxd-pool': {
      const record = await ledger.beginResource({
        kind: 'lxd-pool',
        name: change.name,
        data: { driver: change.driver },
      });
      await client.createStoragePool({
        name: change.name,
        driver: change.driver,
        description: 'created by lxdstack',
      });
      await ledger.commitResource(record.id);
      return { change, command: lxcEquivalent.storageCreate(change.name, change.driver) };
    }
  }
}

function withKey(
  config: Record<string, string>,
  key: string,
  value: string | undefined,
): Record<string, string> {
  const next = { ...config };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/**
 * Undo one recorded host change or LXD resource (teardown): put a setting's previous value back, or
 * remove what lxdstack created. Returns the equivalent command. Already-gone resources are fine.
 */
export async function restoreHostChange(
  record: ResourceRecord,
  client: LxdClient,
  deps: { sysctl?: SysctlAccess; routes?: RouteAccess } = {},
): Promise<string> {
  const data = record.data ?? {};
  switch (record.kind) {
    case 'host-route': {
      await (deps.routes ?? ipRoutes).remove(record.name);
      return routeCommand('del', record.name);
    }
    case 'sysctl': {
      if (typeof record.previous !== 'string') return `(${record.name} had no previous value to restore)`;
      await (deps.sysctl ?? procSysctl).write(record.name, record.previous);
      return lxcEquivalent.sysctlSet(record.name, record.previous);
    }
    case 'lxd-network-config': {
      const networkName = String(data.network);
      const key = String(data.key);
      const previous = typeof record.previous === 'string' ? record.previous : undefined;
      const network = await client.getNetwork(networkName);
      if (network)
        await client.updateNetwork(networkName, {
          description: network.description ?? '',
          config: withKey(network.config, key, previous),
        });
      return lxcEquivalent.networkSet(networkName, key, previous);
    }
    case 'lxd-network': {
      if (await client.getNetwork(record.name)) await client.deleteNetwork(record.name);
      return lxcEquivalent.networkDelete(record.name);
    }
    case 'lxd-pool': {
      if (await client.getStoragePool(record.name)) await client.deleteStoragePool(record.name);
      return lxcEquivalent.storageDelete(record.name);
    }
    case 'lxd-profile': {
      const previous = record.previous as
        | {
            description?: string;
            config: Record<string, string>;
            devices: Record<string, Record<string, string>>;
          }
        | undefined;
      const exists = await client.getProfile(record.name);
      if (!exists) return `(profile ${record.name} already gone)`;
      if (previous) {
        await client.updateProfile(record.name, {
          description: previous.description ?? '',
          config: previous.config,
          devices: previous.devices,
        });
        return `${lxcEquivalent.profileEdit(record.name)} (previous content)`;
      }
      await client.deleteProfile(record.name);
      return lxcEquivalent.profileDelete(record.name);
    }
    case 'lxd-device': {
      const instanceName = String(data.instance);
      const device = String(data.device);
      const instance = await client.getInstance(instanceName);
      if (instance && device in instance.devices) {
        const devices = { ...instance.devices };
        delete devices[device];
        await client.updateInstance(instanceName, {
          config: instance.config,
          devices,
          profiles: instance.profiles,
          description: instance.description ?? '',
        });
      }
      return lxcEquivalent.deviceRemove(instanceName, device);
    }
    case 'lxd-instance': {
      await removeInstance(client, record.name);
      return lxcEquivalent.delete(record.name);
    }
    default:
      throw new JobError(
        `restoreHostChange cannot undo a ${record.kind} record; it belongs to another part of teardown.`,
      );
  }
}

/**
 * Read back what `restoreHostChange` undid: what of the record is still there, in a phrase, or undefined
 * when it is verified gone (or back to its previous value). Teardown releases a record only then: a
 * delete LXD accepted is not yet proof (an instance still using a bridge, a profile recreated meanwhile).
 */
export async function whatRemains(
  record: ResourceRecord,
  client: LxdClient,
  deps: { sysctl?: SysctlAccess } = {},
): Promise<string | undefined> {
  const data = record.data ?? {};
  switch (record.kind) {
    case 'host-route':
      // `ip route del` succeeds only once the route is gone (or says it already was)
      return undefined;
    case 'sysctl': {
      if (typeof record.previous !== 'string') return undefined;
      const now = await (deps.sysctl ?? procSysctl).read(record.name);
      return now === record.previous
        ? undefined
        : `${record.name} is ${now ?? '(unreadable)'}, not ${record.previous}`;
    }
    case 'lxd-network-config': {
      const network = await client.getNetwork(String(data.network));
      if (!network) return undefined;
      const previous = typeof record.previous === 'string' ? record.previous : undefined;
      const now = network.config[String(data.key)];
      return now === previous
        ? undefined
        : `${String(data.key)} is ${now ?? '(unset)'}, not ${previous ?? '(unset)'}`;
    }
    case 'lxd-network':
      return (await client.getNetwork(record.name)) ? 'the network still exists' : undefined;
    case 'lxd-pool':
      return (await client.getStoragePool(record.name)) ? 'the storage pool still exists' : undefined;
    case 'lxd-profile': {
      const profile = await client.getProfile(record.name);
      if (!profile) return undefined;
      const previous = record.previous as Pick<LxdProfile, 'config' | 'devices'> | undefined;
      if (!previous) return 'the profile still exists';
      const { dropped, changed } = compareProfile(previous, profile);
      const differing = [...dropped, ...changed.map((c) => c.key)];
      return differing.length
        ? `the profile differs from its previous content (${differing.join(', ')})`
        : undefined;
    }
    case 'lxd-device': {
      const instance = await client.getInstance(String(data.instance));
      return instance && String(data.device) in instance.devices ? 'the device is still attached' : undefined;
    }
    case 'lxd-instance':
      return (await client.getInstance(record.name)) ? 'the instance still exists' : undefined;
    default:
      return `a ${record.kind} record is not LXD's to verify`;
  }
}
