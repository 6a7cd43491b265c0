import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJujuClient, type JujuClient, type JujuTimeouts } from '../../src/juju/client.js';
import type { SimFaults } from '../../src/sim/faults.js';
import { simulatorEnv } from '../../src/sim/env.js';
import type { CommandRunner } from '../../src/util/runner.js';

// A fresh simulator state folder with a controller and an empty model, for client-level tests.

export interface SimLab {
  dir: string;
  env: NodeJS.ProcessEnv;
  client: JujuClient;
  model: string;
}

export async function newSimDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lxdstack-sim-'));
}

export async function simLab(
  options: {
    version?: string;
    speed?: number;
    faults?: SimFaults;
    timeouts?: Partial<JujuTimeouts>;
    /** What runs juju: the simulator's processes by default; tests of the verdicts pass the in-process one. */
    runner?: CommandRunner;
  } = {},
): Promise<SimLab> {
  const dir = await newSimDir();
  if (options.faults) await writeFile(join(dir, 'faults.json'), JSON.stringify(options.faults));
  const env = {
    ...simulatorEnv(dir),
    LXDSTACK_SIM_JUJU_VERSION: options.version ?? '3.6.1',
    // client tests deploy bundles from the fixtures and /tmp, which the strictly confined 3.x snap cannot read
    LXDSTACK_SIM_CONFINEMENT: 'classic',
    LXDSTACK_SIM_SPEED: String(options.speed ?? 0),
  };
  const client = createJujuClient({ env, timeouts: options.timeouts, runner: options.runner });
  await client.bootstrap({ cloud: 'localhost', controller: 'lab' });
  await client.addModel({ controller: 'lab', model: 'openstack' });
  return { dir, env, client, model: 'lab:openstack' };
}

export const FIXTURES = new URL('../fixtures/juju/', import.meta.url).pathname;
