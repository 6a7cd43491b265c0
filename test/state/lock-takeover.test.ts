import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { acquireLabLock } from '../../src/state/lock.js';
import { LabLockedError } from '../../src/util/errors.js';

// A contender that finds a stale lock already being broken by another one waits for that takeover to
// end, however slow the machine makes it, instead of giving up after a fixed number of quick tries.

async function startTimeOf(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

async function deadPid(): Promise<number> {
  const child = execa('true');
  await child;
  return child.pid!;
}

async function staleLab(): Promise<string> {
  const labDir = await mkdtemp(join(tmpdir(), 'lxdstack-lock-takeover-'));
  const owner = { pid: await deadPid(), command: 'deploy', since: new Date().toISOString(), token: 'gone' };
  await writeFile(join(labDir, 'lock'), JSON.stringify(owner), { mode: 0o600 });
  return labDir;
}

test('a contender waits while a live one is still breaking the stale lock, then takes it', async (t) => {
  const labDir = await staleLab();
  // A live contender (this process) has started breaking the lock and is slow to finish.
  const breaker = join(labDir, 'lock.break-gone');
  const me = { pid: process.pid, startTime: await startTimeOf(process.pid), command: 'deploy', since: 'now' };
  await writeFile(breaker, JSON.stringify(me), { mode: 0o600 });
  const finish = setTimeout(() => {
    void rm(join(labDir, 'lock')).then(() => rm(breaker));
  }, 400);
  const lock = await acquireLabLock(labDir, 'verify');
  clearTimeout(finish);
  const record = JSON.parse(await readFile(join(labDir, 'lock'), 'utf8')) as { pid: number; command: string };
  t.is(record.pid, process.pid);
  t.is(record.command, 'verify');
  await lock.release();
});

test('a breaker left by a crashed contender is named at once, with the command that clears it', async (t) => {
  const labDir = await staleLab();
  const breaker = join(labDir, 'lock.break-gone');
  const crashed = { pid: await deadPid(), command: 'deploy', since: 'then' };
  await writeFile(breaker, JSON.stringify(crashed), { mode: 0o600 });
  // Its own message, not the one after the takeover's 10 s limit: it did not wait for the breaker.
  const error = await t.throwsAsync(acquireLabLock(labDir, 'deploy'), { instanceOf: LabLockedError });
  t.is(
    error?.message,
    `The lab lock ${join(labDir, 'lock')} is stale and a crashed lxdstack left ${breaker} behind; \`lxdstack unlock\` clears both when no lxdstack is running.`,
  );
});
