import { z } from 'zod';
import { simClouds } from './clouds.js';
import type { SimFaults } from './faults.js';

// The simulator's environment settings, checked by the CLI before any command acts: a typo such as
// LXDSTACK_SIM_SPEED=abc is bad input (exit 2, naming the variable), not a juju failure found at the
// controller step after the lab's ledger was started. Pure.

const unit = z.strictObject({ unit: z.string().min(1), hook: z.string().min(1).optional() });
const command = z.string().min(1);

/** The shape of LXDSTACK_SIM_FAULTS (and faults.json), as faults.ts documents it. */
export const simFaultsSchema: z.ZodType<SimFaults> = z.strictObject({
  unitErrors: z.array(unit).optional(),
  machinesWithoutAddress: z.array(z.string().min(1)).optional(),
  lostAgents: z.array(z.string().min(1)).optional(),
  failOnce: z
    .array(
      z.strictObject({
        command,
        message: z.string().optional(),
        exitCode: z.int().min(1).max(255).optional(),
      }),
    )
    .optional(),
  hang: z.array(z.strictObject({ command })).optional(),
});

/** Juju versions the simulator imitates: 2.9.x or 3.x. */
const JUJU_VERSION = /^(2\.9|3\.\d+)(\.\d+)?$/;

function speedError(value: string): string | undefined {
  const speed = Number(value);
  return value.trim() !== '' && Number.isFinite(speed) && speed >= 0
    ? undefined
    : `"${value}" is not a number >= 0; use 0 to settle at once, or e.g. 100 (the default)`;
}

function faultsError(value: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return 'not valid JSON; write an object such as {"unitErrors": [{"unit": "keystone/0"}]}';
  }
  const result = simFaultsSchema.safeParse(parsed);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  const known = 'unitErrors, machinesWithoutAddress, lostAgents, failOnce, hang';
  return issue.code === 'unrecognized_keys'
    ? `the unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}${where}; the keys are ${known}`
    : `${issue.message}${where}`;
}

function cloudsError(value: string): string | undefined {
  try {
    simClouds({ LXDSTACK_SIM_CLOUDS: value });
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^LXDSTACK_SIM_CLOUDS: /, '');
  }
}

function waitError(value: string): string | undefined {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0
    ? undefined
    : `"${value}" is not a number of seconds > 0; e.g. 6 (the default is 600)`;
}

const CHECKS: Record<string, (value: string) => string | undefined> = {
  LXDSTACK_SIM_SPEED: speedError,
  LXDSTACK_SIM_FAULTS: faultsError,
  LXDSTACK_SIM_JUJU_VERSION: (value) =>
    JUJU_VERSION.test(value) ? undefined : `"${value}" is not a Juju version; use e.g. 2.9.46 or 3.6.1`,
  LXDSTACK_SIM_CLOUDS: cloudsError,
  LXDSTACK_SIM_WAIT_TIMEOUT: waitError,
};

/** One line per bad setting, each starting with the variable's name; empty when all are usable. */
export function simSettingsErrors(env: NodeJS.ProcessEnv): string[] {
  const errors: string[] = [];
  for (const [name, check] of Object.entries(CHECKS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const problem = check(value);
    if (problem) errors.push(`${name}: ${problem}`);
  }
  return errors;
}
