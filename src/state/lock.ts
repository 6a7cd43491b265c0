import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabLockedError } from '../util/errors.js';

// One lock per lab: .lxdstack/<lab>/lock. It appears atomically with its owner record already inside
// (a complete private file is hard-linked to the lock's name; link() fails if the name exists), so a
// reader never sees an empty or half-written lock. A lock is stale only when its owner is gone: the
// recorded process no longer exists, or its pid now belongs to another process (a different start time,
// or another boot). Breaking a stale lock is itself exclusive: only the process that creates
// `lock.break-<token>` may remove the lock carrying that token, so two contenders never both break it.
// Hand-written rather than proper-lockfile: that library judges staleness by mtime age, which can take a
// live lock from a slow holder, and cannot tell a reused pid from its owner.

export const LOCK_FILE = 'lock';
const BREAK_PREFIX = `${LOCK_FILE}.break-`;

export interface LockOwner {
  pid: number;
  /** The process's start time in clock ticks after boot (/proc/<pid>/stat field 22). */
  startTime?: string;
  bootId?: string;
  command: string;
  since: string;
  /** Unique per acquisition: names this lock and no other. */
  token?: string;
}

export type HolderStatus = 'running' | 'gone' | 'pid-reused';

export interface LabLock {
  path: string;
  release(): Promise<void>;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Start time of a process from /proc/<pid>/stat: the 22nd field, counted after the `(comm)` field. */
async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

async function bootId(): Promise<string | undefined> {
  return (await readText('/proc/sys/kernel/random/boot_id').catch(() => undefined))?.trim();
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownRecord(command: string): Promise<LockOwner> {
  const [startTime, boot] = await Promise.all([startTimeOf(process.pid), bootId()]);
  return {
    pid: process.pid,
    ...(startTime ? { startTime } : {}),
    ...(boot ? { bootId: boot } : {}),
    command,
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
}

/** Whether the process a lock names is still the one that took it. */
export async function holderStatus(owner: LockOwner): Promise<HolderStatus> {
  const boot = await bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return 'gone';
  if (await readText('/proc/self/stat').catch(() => undefined)) {
    const startTime = await startTimeOf(owner.pid);
    if (startTime === undefined) return 'gone';
    if (owner.startTime !== undefined) return startTime === owner.startTime ? 'running' : 'pid-reused';
    // A record without a start time (an older lxdstack): its pid must still run lxdstack.
    const cmdline = (await readText(`/proc/${owner.pid}/cmdline`).catch(() => '')) ?? '';
    return /lxdstack|cli\.js/.test(cmdline) ? 'running' : 'pid-reused';
  }
  // No /proc (not Linux): the pid is all there is to go by.
  return signalable(owner.pid) ? 'running' : 'gone';
}

function tokenOf(owner: LockOwner): string {
  return owner.token ?? `${owner.pid}-${owner.since.replaceAll(/[^0-9]/g, '')}`;
}

type ReadOwner = { kind: 'none' } | { kind: 'owner'; owner: LockOwner } | { kind: 'unreadable'; why: string };

async function readOwner(path: string): Promise<ReadOwner> {
  const text = await readText(path);
  if (text === undefined) return { kind: 'none' };
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (!Number.isInteger(owner.pid) || typeof owner.since !== 'string') throw new Error('no owner record');
    return { kind: 'owner', owner };
  } catch (error) {
    return { kind: 'unreadable', why: (error as Error).message };
  }
}

export function describeOwner(owner: LockOwner): string {
  return `pid ${owner.pid} running \`lxdstack ${owner.command}\` since ${owner.since}`;
}

type BreakOutcome = { kind: 'broken' } | { kind: 'breaking'; breaker: string };

/** Remove the stale lock `owner` holds, unless another contender is already doing so. */
async function breakStaleLock(path: string, owner: LockOwner, self: LockOwner): Promise<BreakOutcome> {
  const breaker = `${join(path, '..', BREAK_PREFIX)}${tokenOf(owner)}`;
  try {
    await writeFile(breaker, JSON.stringify(self), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { kind: 'breaking', breaker };
    throw error;
  }
  try {
    // Only the holder of this breaker removes a lock carrying this token, so it cannot change under us.
    const current = await readOwner(path);
    if (current.kind === 'owner' && tokenOf(current.owner) === tokenOf(owner)) await unlink(path);
  } finally {
    await rm(breaker, { force: true });
  }
  return { kind: 'broken' };
}

/**
 * Whether another contender is still breaking the stale lock. A breaker whose process is gone crashed
 * half-way; removing it is not safe to do here (a live contender may be creating one by the same name),
 * so that is for `lxdstack unlock`.
 */
async function breakerIsLive(breaker: string): Promise<boolean> {
  const found = await readOwner(breaker);
  if (found.kind !== 'owner') return true;
  return (await holderStatus(found.owner)) === 'running';
}

// Contenders only wait on each other for the few file operations of a takeover; a machine under heavy
// load can stretch those to hundreds of milliseconds, so the limit is time, not a count of tries.
const TAKEOVER_LIMIT_MS = 10_000;

export async function acquireLabLock(labDirectory: string, command: string): Promise<LabLock> {
  await mkdir(labDirectory, { recursive: true, mode: 0o700 });
  const path = join(labDirectory, LOCK_FILE);
  const self = await ownRecord(command);
  const complete = join(labDirectory, `.${LOCK_FILE}.${self.token}.tmp`);
  await writeFile(complete, `${JSON.stringify(self)}\n`, { flag: 'wx', mode: 0o600 });
  const deadline = Date.now() + TAKEOVER_LIMIT_MS;
  try {
    for (let round = 0; Date.now() < deadline; round++) {
      try {
        await link(complete, path);
        return ownedLock(path, self);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const found = await readOwner(path);
      if (found.kind === 'none') continue;
      if (found.kind === 'unreadable') {
        throw new LabLockedError(
          `The lab lock ${path} cannot be read (${found.why}); if no lxdstack is working on this lab, \`lxdstack unlock\` removes it.`,
        );
      }
      if ((await holderStatus(found.owner)) === 'running') {
        throw new LabLockedError(
          `The lab is locked by another lxdstack: ${describeOwner(found.owner)}. Wait for it to finish, or stop it.`,
        );
      }
      const outcome = await breakStaleLock(path, found.owner, self);
      if (outcome.kind === 'breaking') {
        if (!(await breakerIsLive(outcome.breaker))) {
          throw new LabLockedError(
            `The lab lock ${path} is stale and a crashed lxdstack left ${outcome.breaker} behind; \`lxdstack unlock\` clears both when no lxdstack is running.`,
          );
        }
        // Jittered so that contenders waiting on the same breaker do not wake in step.
        await sleep(5 + Math.random() * Math.min(50, 5 * 2 ** round));
      }
    }
    throw new LabLockedError(
      `Could not take the lab lock ${path} within ${TAKEOVER_LIMIT_MS / 1000} s: other lxdstack runs keep taking it; \`lxdstack unlock\` clears it when no lxdstack is running.`,
    );
  } finally {
    await rm(complete, { force: true });
  }
}

function ownedLock(path: string, self: LockOwner): LabLock {
  let released = false;
  return {
    path,
    release: async () => {
      if (released) return;
      released = true;
      // Ours only: a lock that is not ours any more (removed by `lxdstack unlock`) stays as it is.
      const current = await readOwner(path);
      if (current.kind === 'owner' && current.owner.token === self.token) await rm(path, { force: true });
    },
  };
}

export interface LockInspection {
  path: string;
  found: ReadOwner;
  status?: HolderStatus;
}

/** What holds the lab's lock now, for `lxdstack unlock`. */
export async function inspectLabLock(labDirectory: string): Promise<LockInspection> {
  const path = join(labDirectory, LOCK_FILE);
  const found = await readOwner(path);
  return found.kind === 'owner' ? { path, found, status: await holderStatus(found.owner) } : { path, found };
}

/** Remove the lab's lock and any breaker a crashed contender left; returns the paths removed. */
export async function removeLabLock(labDirectory: string): Promise<string[]> {
  const names = await readdir(labDirectory).catch(() => [] as string[]);
  const doomed = names
    .filter((name) => name === LOCK_FILE || name.startsWith(BREAK_PREFIX))
    .map((name) => join(labDirectory, name));
  for (const path of doomed) await rm(path, { force: true });
  return doomed;
}
