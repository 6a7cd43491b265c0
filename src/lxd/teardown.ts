import { JobError, errorMessage } from '../util/errors.js';
import type { Ledger, ResourceKind } from '../pipeline/ledger.js';
import type { LxdClient } from './client.js';
import { restoreHostChange, type SysctlAccess } from './host-changes.js';

// Teardown's LXD part: everything this area recorded in the lab's ledger, newest first, removed or put
// back to its previous value, each released in the ledger as soon as it is undone.

export const LXD_RESOURCE_KINDS: readonly ResourceKind[] = [
  'lxd-device',
  'lxd-instance',
  'lxd-profile',
  'lxd-network-config',
  'lxd-network',
  'lxd-pool',
  'sysctl',
];

export interface TeardownStep {
  kind: ResourceKind;
  name: string;
  command: string;
}

export async function removeLabLxdResources(
  ledger: Ledger,
  client: LxdClient,
  deps: { sysctl?: SysctlAccess } = {},
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
      await ledger.releaseResource(record.id);
      done.push({ kind: record.kind, name: record.name, command });
    } catch (error) {
      failures.push(`${record.kind} ${record.name}: ${errorMessage(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new JobError(
      `Teardown could not undo ${failures.length} LXD change(s); fix the cause and run teardown again (the ledger keeps them).`,
      {
        details: failures,
      },
    );
  }
  return done;
}
