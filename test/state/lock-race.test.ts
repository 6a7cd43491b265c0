import test from 'ava';
import { build } from 'esbuild';
import { execa, type ResultPromise } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Several real processes take one lab's lock at the same instant, many times over: from no lock, from a
// stale lock whose process is gone, and from a lock whose pid now belongs to another process. Every
// trial must end with exactly one holder. The children are src/state/lock.ts bundled to plain
// JavaScript, so each starts in tens of milliseconds and they really do race.

const LOCK_MODULE = fileURLToPath(new URL('../../src/state/lock.ts', import.meta.url));
const TRIALS = Number(process.env.LOCK_TRIALS ?? 20);
const CONTENDERS = 5;

// Each child is one contender for all the trials of a test (a Node start per contender per trial
// cost more CPU than the rest of the file): say "ready"; then per trial, wait for "go <lab folder>",
// try the lock once and say "holder" or "busy ...", hold it until told "release", say "released".
const CHILD = `
import { acquireLabLock } from './lock.mjs';
import { createInterface } from 'node:readline';
const lines = createInterface({ input: process.stdin });
const queue = [];
const waiting = [];
lines.on('line', (line) => (waiting.length ? waiting.shift()(line) : queue.push(line)));
lines.on('close', () => process.exit(0));
const next = () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
process.stdout.write('ready\\n');
for (;;) {
  const labDir = (await next()).slice('go '.length);
  let lock;
  try {
    lock = await acquireLabLock(labDir, 'deploy');
    process.stdout.write('holder\\n');
  } catch (error) {
    process.stdout.write('busy ' + (error.message ?? error) + '\\n');
  }
  await next();
  await lock?.release();
  process.stdout.write('released\\n');
}
`;

let childPath = '';

test.before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-lock-race-'));
  await build({
    entryPoints: [LOCK_MODULE],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(dir, 'lock.mjs'),
    logLevel: 'silent',
  });
  childPath = join(dir, 'child.mjs');
  await writeFile(childPath, CHILD);
});

/** Lines a contender writes, one at a time, in order. */
function lineReader(child: ResultPromise): (timeoutMs?: number) => Promise<string> {
  let buffer = '';
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      const resolve = waiting.shift();
      if (resolve) resolve(line);
      else lines.push(line);
    }
  });
  return (timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error('a contender did not answer')), timeoutMs);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
}

interface Contender {
  child: ResultPromise;
  nextLine: (timeoutMs?: number) => Promise<string>;
}

async function startContenders(): Promise<Contender[]> {
  const contenders = Array.from({ length: CONTENDERS }, () => {
    const child = execa(process.execPath, [childPath], { reject: false, stdin: 'pipe', stdout: 'pipe' });
    return { child, nextLine: lineReader(child) };
  });
  const ready = await Promise.all(contenders.map((c) => c.nextLine()));
  if (ready.some((line) => line !== 'ready'))
    throw new Error(`a contender did not start: ${ready.join(', ')}`);
  return contenders;
}

/** One race: every contender is told "go" at once; returns the number of holders. */
async function race(contenders: Contender[], labDir: string): Promise<{ holders: number; busy: string[] }> {
  const answers = contenders.map((c) => c.nextLine());
  for (const { child } of contenders) child.stdin!.write(`go ${labDir}\n`);
  const results = await Promise.all(answers);
  const released = contenders.map((c) => c.nextLine());
  for (const { child } of contenders) child.stdin!.write('release\n');
  await Promise.all(released);
  return {
    holders: results.filter((r) => r === 'holder').length,
    busy: results.filter((r) => r !== 'holder'),
  };
}

/** A pid that no process has now: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = execa('true');
  await child;
  return child.pid!;
}

async function startTimeOf(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

const STARTS: Record<string, (labDir: string) => Promise<void>> = {
  'no lock': async () => {},
  'a stale lock whose process is gone': async (labDir) => {
    const owner = { pid: await deadPid(), command: 'deploy', since: new Date().toISOString(), token: 'gone' };
    await writeFile(join(labDir, 'lock'), JSON.stringify(owner), { mode: 0o600 });
  },
  'a lock whose pid now belongs to another process': async (labDir) => {
    // This test's own pid, with a start time it never had: the pid was reused (e.g. after a reboot).
    const real = Number(await startTimeOf(process.pid));
    const owner = {
      pid: process.pid,
      startTime: String(real + 1),
      command: 'deploy',
      since: new Date().toISOString(),
      token: 'reused',
    };
    await writeFile(join(labDir, 'lock'), JSON.stringify(owner), { mode: 0o600 });
  },
};

for (const [start, prepare] of Object.entries(STARTS)) {
  test.serial(
    `${CONTENDERS} processes racing ${TRIALS} times from ${start}: exactly one holder each time`,
    async (t) => {
      const holders: number[] = [];
      const busy: string[] = [];
      const contenders = await startContenders();
      t.teardown(async () => {
        for (const { child } of contenders) child.stdin!.end();
        await Promise.all(contenders.map((c) => c.child));
      });
      for (let trial = 0; trial < TRIALS; trial++) {
        const labDir = await mkdtemp(join(tmpdir(), 'lxdstack-lock-lab-'));
        await prepare(labDir);
        const result = await race(contenders, labDir);
        holders.push(result.holders);
        busy.push(...result.busy);
      }
      t.log(`holders per trial: ${holders.join(' ')}`);
      t.deepEqual(
        holders,
        Array.from({ length: TRIALS }, () => 1),
      );
      // Every loser was told who holds the lab, and nothing else went wrong.
      const messages = new Set(
        busy.map((b) => b.replace(/pid \d+/, 'pid N').replace(/since \S+?\. /, 'since T. ')),
      );
      t.deepEqual(
        [...messages],
        [
          'busy The lab is locked by another lxdstack: pid N running `lxdstack deploy` since T. Wait for it to finish, or stop it.',
        ],
      );
    },
  );
}
