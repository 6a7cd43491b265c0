import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Faults the simulator injects on request, read from `$LXDSTACK_SIM_DIR/faults.json` and from the
 * `LXDSTACK_SIM_FAULTS` environment variable (JSON of the same shape; both are merged). Example:
 *
 *   { "unitErrors": [{ "unit": "keystone/0", "hook": "install" }],
 *     "machinesWithoutAddress": ["3"],
 *     "lostAgents": ["glance/0"],
 *     "failOnce": [{ "command": "deploy", "message": "connection is shut down" }],
 *     "hang": [{ "command": "status" }] }
 */
export interface SimFaults {
  /** Units whose hook fails and stays failed: workload `error` `hook failed: "<hook>"` (default hook: install). */
  unitErrors?: { unit: string; hook?: string }[];
  /** Model machine ids whose instance starts but never gets an address (LXD bridge or DHCP trouble). */
  machinesWithoutAddress?: string[];
  /** Units whose agent stops talking to the controller once they have settled. */
  lostAgents?: string[];
  /** Juju subcommands (`deploy`, `status`, ...) that fail on their first call and then succeed. */
  failOnce?: { command: string; message?: string; exitCode?: number }[];
  /** Juju subcommands that hang until killed (and leave a child process in their group, to prove the group kill). */
  hang?: { command: string }[];
}

export const FAULTS_FILE = 'faults.json';

export async function readSimFaults(dir: string, env: NodeJS.ProcessEnv): Promise<SimFaults> {
  let fromFile: SimFaults = {};
  try {
    fromFile = JSON.parse(await readFile(join(dir, FAULTS_FILE), 'utf8')) as SimFaults;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`${join(dir, FAULTS_FILE)} is not valid JSON`, { cause: error });
  }
  const fromEnv = env.LXDSTACK_SIM_FAULTS ? (JSON.parse(env.LXDSTACK_SIM_FAULTS) as SimFaults) : {};
  return {
    unitErrors: [...(fromFile.unitErrors ?? []), ...(fromEnv.unitErrors ?? [])],
    machinesWithoutAddress: [
      ...(fromFile.machinesWithoutAddress ?? []),
      ...(fromEnv.machinesWithoutAddress ?? []),
    ],
    lostAgents: [...(fromFile.lostAgents ?? []), ...(fromEnv.lostAgents ?? [])],
    failOnce: [...(fromFile.failOnce ?? []), ...(fromEnv.failOnce ?? [])],
    hang: [...(fromFile.hang ?? []), ...(fromEnv.hang ?? [])],
  };
}
