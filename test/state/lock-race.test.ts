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

// Each child: say "ready", wait for "go", try the lock once and say "holder" or "busy", hold it until
// told "release".
const CHILD = `
import { acquireLabLock } from './lock.mjs';
import { createInterface } from 'node:readline';
const lines = createInterface({ input: process.stdin });
const next = () => new Promise((resolve) => lines.once('line', resolve));
process.stdout.write('ready\\n');
await next();
let lock;
try {
  lock = await acquireLabLock(process.argv[2], 'deploy');
  process.stdout.write('holder\\n');
} catch (error) {
  process.stdout.write('busy ' + (error.message ?? error) + '\\n');
}
await next();
await lock?.release();
process.exit(0);
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

function firstLine(child: ResultPromise, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('a contender did not answer')), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const end = buffer.indexOf('\n');
      if (end === -1) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(buffer.slice(0, end));
    };
    child.stdout!.on('data', onData);
  });
}

/** One race: returns the number of holders. */
async function race(labDir: string): Promise<{ holders: number; busy: string[] }> {
  const children = Array.from({ length: CONTENDERS }, () =>
    execa(process.execPath, [childPath, labDir], { reject: false, stdin: 'pipe', stdout: 'pipe' }),
  );
  await Promise.all(children.map((c) => firstLine(c)));
  const answers = children.map((c) => firstLine(c));
  for (const child of children) child.stdin!.write('go\n');
  const results = await Promise.all(answers);
  for (const child of children) child.stdin!.write('release\n');
  await Promise.all(children);
  return {
    holders: results.filter((r) => r === 'holder').length,
    busy: results.filter((r) => r !== 'holder'),
  };
}

/** A pid that no process has now: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = execa(process.execPath, ['-e', '0']);
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
      for (let trial = 0; trial < TRIALS; trial++) {
        const labDir = await mkdtemp(join(tmpdir(), 'lxdstack-lock-lab-'));
        await prepare(labDir);
        const result = await race(labDir);
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
