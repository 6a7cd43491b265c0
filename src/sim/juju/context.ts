import { boolFlag, type FlagSpec, type ParsedArgs } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { readSimFaults, type SimFaults } from '../faults.js';
import type { SimFlavour } from '../lifecycle.js';
import { confinementOf, type Confinement } from '../confinement.js';

// What every simulated `juju` command gets: the flavour (2.9 or 3.x), speed, faults and output of one
// invocation over the state in $LXDSTACK_SIM_DIR (juju-spec.md §4), and the flag helpers they share.

// The yaml library is loaded only by the commands that print or read YAML: `juju status --format json`,
// the hot path of every readiness poll, stays fast.
export async function stringify(value: unknown): Promise<string> {
  return (await import('../../util/yaml-lib.js')).stringify(value);
}

export interface SimIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** What the user types at a confirmation prompt (undefined: no terminal, so the prompt reads EOF). */
  answer?: string;
}

export interface SimContext {
  dir: string;
  env: NodeJS.ProcessEnv;
  version: string;
  flavour: SimFlavour;
  speed: number;
  faults: SimFaults;
  io: SimIo;
  now: () => number;
  /** Whether juju behaves as the strictly confined 3.x snap when it opens files (confinement.ts). */
  confinement: Confinement;
}

export const DEFAULT_SIM_VERSION = '3.6.1';
/** A whole OpenStack bundle settles in about 120 simulated seconds, so 100 makes it 1-2 real seconds. */
export const DEFAULT_SIM_SPEED = 100;
export const OWNER = 'admin';

export async function createSimContext(env: NodeJS.ProcessEnv, io: SimIo): Promise<SimContext> {
  const dir = env.LXDSTACK_SIM_DIR;
  if (!dir)
    throw new SimCommandFailure('LXDSTACK_SIM_DIR is not set: the juju simulator needs a state folder', 1);
  const version = env.LXDSTACK_SIM_JUJU_VERSION || DEFAULT_SIM_VERSION;
  const speed =
    env.LXDSTACK_SIM_SPEED === undefined || env.LXDSTACK_SIM_SPEED === ''
      ? DEFAULT_SIM_SPEED
      : Number(env.LXDSTACK_SIM_SPEED);
  if (!Number.isFinite(speed) || speed < 0)
    throw new SimCommandFailure(`LXDSTACK_SIM_SPEED must be a number >= 0, got "${env.LXDSTACK_SIM_SPEED}"`);
  const flavour = version.startsWith('2.') ? '2.9' : '3';
  return {
    dir,
    env,
    version,
    flavour,
    confinement: confinementOf(env, flavour),
    speed,
    faults: await readSimFaults(dir, env),
    io,
    now: () => Date.now(),
  };
}

const MODEL_FLAG: FlagSpec = { kinds: { model: 'value' }, aliases: { m: 'model' } };

export function spec(kinds: FlagSpec['kinds'], aliases: Record<string, string> = {}): FlagSpec {
  return { kinds: { ...MODEL_FLAG.kinds, ...kinds }, aliases: { ...MODEL_FLAG.aliases, ...aliases } };
}

/** The prompt flag differs: `--no-prompt` in 3.x, `-y/--yes` in 2.9. */
export function promptFlags(ctx: SimContext): FlagSpec['kinds'] {
  return ctx.flavour === '3' ? { 'no-prompt': 'bool' } : { yes: 'bool' };
}

export function confirmed(
  ctx: SimContext,
  parsed: ParsedArgs,
  name: string,
  what: 'model' | 'controller',
): void {
  if (boolFlag(parsed, ctx.flavour === '3' ? 'no-prompt' : 'yes')) return;
  ctx.io.stderr(`\nTo continue, enter the name of the ${what} to be destroyed: `);
  if (ctx.io.answer?.trim() !== name) throw new SimCommandFailure(`${what} destruction: aborted`);
}

export type Command = (ctx: SimContext, args: string[]) => Promise<void>;
