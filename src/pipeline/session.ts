import { dirname, join } from 'node:path';
import type { CommandContext } from '../util/context.js';
import { readAdminPassword, resolveAdminPassword } from '../lab/credentials.js';
import { loadLabSpec } from '../lab/load.js';
import type { LabSpec } from '../lab/schema.js';
import { InputError } from '../util/errors.js';
import { STATE_FOLDER, labStateDir } from '../util/paths.js';
import { registerEnvironmentSecrets, registeredSecrets } from '../util/redact.js';
import { LEDGER_FILE, Ledger, readLedgerState } from '../state/ledger.js';
import { acquireLabLock, type LabLock } from '../state/lock.js';

// A lifecycle command's hold on one lab: its spec, folder, lock, ledger and admin password. The lab is
// simulated when --simulate is given or when its ledger says it was deployed on the simulator, so
// `teardown` of a simulated lab can never reach for a real controller.

export interface LabSession {
  spec: LabSpec;
  /** The answers file the spec came from. */
  source: string;
  dir: string;
  simulated: boolean;
  ledger: Ledger;
  adminPassword: string;
  /** Strings no output may contain. */
  secrets: string[];
  release(): Promise<void>;
}

/** Where the lab's simulator keeps its state. */
export function simulatorStateDir(labDirectory: string): string {
  return join(labDirectory, 'sim');
}

export async function wasSimulated(labDirectory: string): Promise<boolean> {
  return (await readLedgerState(join(labDirectory, LEDGER_FILE)))?.simulated ?? false;
}

/**
/**
 * Before state followed the answers file, it followed the current directory: a ledger for the same lab
 * there, still holding resources, is a second record of the same controller and model. Refuse to start a
 * third story rather than let two ledgers each tear down half of it.
 */
async function refuseSecondLedger(dir: string, elsewhere: string, lab: string): Promise<void> {
  if (elsewhere === dir) return;
  const other = await readLedgerState(join(elsewhere, LEDGER_FILE));
  if (!other?.resources.some((r) => r.state !== 'removed')) return;
  throw new InputError(
    `Lab ${lab} has a second ledger, ${join(elsewhere, LEDGER_FILE)}, besides its own in ${dir}; both record resources of the same lab. Tear that one down first (\`lxdstack teardown\` with this lab's answers file copied into ${dirname(dirname(elsewhere))}), or move ${elsewhere} to ${dir} if it holds the lab you mean.`,
  );
}

/**
 * What renders in place of an admin password that does not exist yet: a read-only command (plan, a dry
 * run) never creates the secret; deploy does, under the lock.
 */
export const PASSWORD_NOT_GENERATED = 'generated-by-deploy';

export interface OpenLabOptions {
  answers?: string;
  simulate?: boolean;
  command: string;
  engine?: LabSpec['engine'];
  readOnly?: boolean;
  /** Deploy only: generate the admin password when the lab has none yet (under the lock). */
  createPassword?: boolean;
}

/** Whether the lab has ever recorded anything (a ledger exists); looks without creating anything. */
export async function labRecord(
  ctx: CommandContext,
  answers?: string,
): Promise<{ name: string; dir: string; recorded: boolean }> {
  const { spec, source } = await loadLabSpec(ctx.cwd, answers);
  const dir = labStateDir(source, spec.name);
  return { name: spec.name, dir, recorded: (await readLedgerState(join(dir, LEDGER_FILE))) !== undefined };
}

/**
 * Open a lab: its spec, a lock (unless `readOnly`, as for a dry run), its ledger and admin password.
 * Only `createPassword` (deploy) generates a missing password; everything else reads it, or renders a
 * placeholder, and so creates no secret.
 */
export async function openLab(ctx: CommandContext, options: OpenLabOptions): Promise<LabSession> {
  registerEnvironmentSecrets(ctx.env);
  const loaded = await loadLabSpec(
    ctx.cwd,
    options.answers,
    options.engine ? { engine: options.engine } : {},
  );
  const dir = labStateDir(loaded.source, loaded.spec.name);
  await refuseSecondLedger(dir, join(ctx.cwd, STATE_FOLDER, loaded.spec.name), loaded.spec.name);
  const lock: LabLock = options.readOnly
    ? { path: '', release: async () => {} }
    : await acquireLabLock(dir, options.command);
  try {
    const existing = await readLedgerState(join(dir, LEDGER_FILE));
    if (
      options.simulate &&
      existing &&
      !existing.simulated &&
      existing.resources.some((r) => r.state !== 'removed')
    ) {
      throw new InputError(
        `Lab ${loaded.spec.name} was deployed for real (see ${join(dir, LEDGER_FILE)}); drop --simulate, or give the simulated lab another \`name:\`.`,
      );
    }
    const simulated = options.simulate === true || (existing?.simulated ?? false);
    const ledger = options.readOnly
      ? await Ledger.inspect(dir, loaded.spec.name, simulated)
      : await Ledger.open(dir, loaded.spec.name, options.command, simulated);
    const adminPassword =
      options.createPassword && !options.readOnly
        ? await resolveAdminPassword(loaded.spec, dir)
        : ((await readAdminPassword(loaded.spec, dir)) ?? PASSWORD_NOT_GENERATED);
    return {
      spec: loaded.spec,
      source: loaded.source,
      dir,
      simulated: ledger.simulated || simulated,
      ledger,
      adminPassword,
      secrets: registeredSecrets(),
      release: () => lock.release(),
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
