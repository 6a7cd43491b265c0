import { JobError, errorMessage } from '../util/errors.js';
import { counted } from '../util/text.js';
import type { Ledger, ResourceKind } from '../state/ledger.js';
import type { LxdClient } from './client.js';
import { restoreHostChange, whatRemains, type SysctlAccess } from './host-changes.js';
import type { RouteAccess } from './host-route.js';
import { removeInstance } from './instances.js';
import { modelProfileName } from './lab-port.js';
import { lxcEquivalent } from './lxc.js';

// Teardown's LXD part: everything this area recorded in the lab's ledger, newest first, removed or put
// back to its previous value, each released in the ledger once it is read back undone.

export const LXD_RESOURCE_KINDS: readonly ResourceKind[] = [
  'lxd-device',
  'lxd-instance',
  'lxd-profile',
  'lxd-network-config',
  'lxd-network',
  'lxd-pool',
  'sysctl',
  'host-route',
];

export interface TeardownStep {
  kind: ResourceKind;
  name: string;
  command: string;
}

export async function removeLabLxdResources(
  ledger: Ledger,
  client: LxdClient,
  deps: { sysctl?: SysctlAccess; routes?: RouteAccess } = {},
): Promise<TeardownStep[]> {
  const records = ledger
    .liveResources()
    .filter((r) => LXD_RESOURCE_KINDS.includes(r.kind))
    .reverse();
  const done: TeardownStep[] = [];
  const failures: string[] = [];
  for (const record of records) {
    try {
      const command = await restoreHostChange(record, client, deps);
      const remains = await whatRemains(record, client, deps);
      if (remains) {
        failures.push(`${record.kind} ${record.name}: ${remains} after \`${command}\``);
        continue;
      }
      await ledger.releaseResource(record.id);
      done.push({ kind: record.kind, name: record.name, command });
    } catch (error) {
      failures.push(`${record.kind} ${record.name}: ${errorMessage(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new JobError(
      `Teardown could not undo ${counted(failures.length, 'LXD change')}; fix the cause and run teardown again (the ledger keeps them).`,
      {
        details: failures,
      },
    );
  }
  return done;
}

/**
 * Last resort after a forced destroy-model: the model's instances (every one carrying its `juju-<model>`
 * profile) and the model's profiles (`juju-<model>`, and charm profiles `juju-<model>-<app>-<rev>`).
 */
export async function removeModelLeftovers(client: LxdClient, model: string): Promise<string[]> {
  const profile = modelProfileName(model);
  const done: string[] = [];
  for (const instance of await client.listInstances()) {
    if (!instance.profiles.includes(profile)) continue;
    await removeInstance(client, instance.name);
    done.push(lxcEquivalent.delete(instance.name));
  }
  for (const { name } of await client.listProfiles()) {
    if (name !== profile && !name.startsWith(`${profile}-`)) continue;
    await client.deleteProfile(name);
    done.push(lxcEquivalent.profileDelete(name));
  }
  return done;
}

/** What the ledger says this lab changed on LXD and that is still there, one sentence each. */
export async function lxdLeftovers(ledger: Ledger, client: LxdClient, model: string): Promise<string[]> {
  const found: string[] = [];
  for (const record of ledger.liveResources().filter((r) => LXD_RESOURCE_KINDS.includes(r.kind))) {
    found.push(
      `${record.kind} ${record.name} is still recorded as changed by this lab; run teardown again to undo it.`,
    );
  }
  const profile = modelProfileName(model);
  for (const instance of await client.listInstances()) {
    if (instance.profiles.includes(profile))
      found.push(
        `Instance ${instance.name} of model ${model} still exists: ${lxcEquivalent.delete(instance.name)}.`,
      );
  }
  if (await client.getProfile(profile))
    found.push(`Profile ${profile} still exists: ${lxcEquivalent.profileDelete(profile)}.`);
  return found;
}

/** Profiles and instances as LXD reports them, as text (for `lxdstack logs`). */
export async function lxdInventory(client: LxdClient): Promise<string> {
  const [server, profiles, instances] = await Promise.all([
    client.getServer(),
    client.listProfiles(),
    client.listInstances(),
  ]);
  const lines = [
    `LXD ${server.environment.server_version} (${server.environment.storage ?? 'unknown'} storage)`,
    'Profiles:',
  ];
  for (const p of profiles)
    lines.push(`  ${p.name}: config ${JSON.stringify(p.config)} devices ${JSON.stringify(p.devices)}`);
  lines.push('Instances:');
  for (const i of instances) lines.push(`  ${i.name} ${i.status} profiles=${i.profiles.join(',')}`);
  return `${lines.join('\n')}\n`;
}
