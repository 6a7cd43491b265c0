import { loadLabSpec } from '../lab/load.js';
import { describeOwner, inspectLabLock, removeLabLock } from '../state/lock.js';
import { writeLine, type CommandContext } from '../util/context.js';
import { LabLockedError } from '../util/errors.js';
import { labStateDir } from '../util/paths.js';

export interface UnlockOptions {
  answers?: string;
  force?: boolean;
}

/**
 * `lxdstack unlock`: remove the lab's lock when its holder is gone (or, with --force, even when it is
 * not), saying whose lock it was. The way out of a lock lxdstack cannot judge by itself.
 */
export async function runUnlock(options: UnlockOptions, ctx: CommandContext): Promise<number> {
  const { spec, source } = await loadLabSpec(ctx.cwd, options.answers);
  const dir = labStateDir(source, spec.name);
  const { path, found, status } = await inspectLabLock(dir);
  if (found.kind === 'owner' && status === 'running' && !options.force) {
    throw new LabLockedError(
      `Not unlocking lab ${spec.name}: its lock belongs to ${describeOwner(found.owner)}, which is still running. Stop it first, or pass --force to remove its lock anyway.`,
    );
  }
  const removed = await removeLabLock(dir);
  if (removed.length === 0) {
    writeLine(ctx.stdout, `Lab ${spec.name} is not locked (no ${path}); nothing to do.`);
    return 0;
  }
  const whose =
    found.kind === 'owner'
      ? `held by ${describeOwner(found.owner)}, ${status === 'running' ? 'still running (--force)' : status === 'pid-reused' ? 'whose pid now belongs to another process' : 'which is no longer running'}`
      : found.kind === 'unreadable'
        ? `which could not be read (${found.why})`
        : 'left by a contender that crashed while breaking a stale lock';
  writeLine(ctx.stdout, `Removed the lock of lab ${spec.name} (${path}), ${whose}.`);
  return 0;
}
