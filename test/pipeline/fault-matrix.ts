import type { ExecutionContext } from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSimState } from '../../src/sim/state.js';
import { ADMIN_PASSWORD, cliInProcess, newSimLab, simFootprint, type SimLab } from './sim-lab.js';

// What every case of the reliability matrix (fault-matrix*.test.ts) checks: the end state against a
// clean deploy's, no admin password in any output, and a teardown that leaves the simulator as it was.

export const CLEAN = { controllers: [], profiles: ['default'], containers: [] };

/** The deployed model as the simulator holds it: applications and their unit counts. */
export async function endState(lab: SimLab): Promise<Record<string, number>> {
  const state = await readSimState(lab.simDir);
  const model = state.controllers.lxdstack?.models.openstack;
  if (!model) return {};
  return Object.fromEntries(
    Object.values(model.applications).map((a) => [a.name, Object.keys(a.units).length]),
  );
}

export function noSecret(t: ExecutionContext, ...texts: string[]) {
  for (const text of texts)
    t.false(text.includes(ADMIN_PASSWORD), 'the admin password leaked into an output');
}

export async function teardownLeavesNothing(t: ExecutionContext, lab: SimLab) {
  const down = await cliInProcess(lab, ['teardown', '--yes']);
  t.is(down.exitCode, 0, down.stderr);
  t.deepEqual(await simFootprint(lab), CLEAN);
  noSecret(t, down.stdout, down.stderr, await readFile(join(lab.labDir, 'state.json'), 'utf8'));
}

/** A clean deploy's end state: what every case must reach. */
export async function baselineEndState(): Promise<Record<string, number>> {
  const lab = await newSimLab();
  const result = await cliInProcess(lab, ['deploy', '--simulate']);
  if (result.exitCode !== 0) throw new Error(`baseline deploy failed: ${result.stderr}`);
  const state = await endState(lab);
  await cliInProcess(lab, ['teardown', '--yes']);
  return state;
}
