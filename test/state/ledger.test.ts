import test from 'ava';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, LedgerWriteError } from '../../src/state/ledger.js';
import { executeStep, type Step } from '../../src/pipeline/steps.js';
import { JobError } from '../../src/util/errors.js';

// A ledger write that fails (here: something that is not a file sits where state.json goes) fails that
// write alone, as one clear error; the next write succeeds; and a step's own error is never replaced
// by the ledger's.

async function openLedger() {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-ledger-'));
  const ledger = await Ledger.open(dir, 'lab', 'deploy');
  return { dir, ledger, path: join(dir, 'state.json') };
}

/** Make every write of the ledger fail until `heal` runs: a folder where state.json goes. */
async function blockWrites(path: string) {
  await rm(path);
  await mkdir(join(path, 'in-the-way'), { recursive: true });
  return () => rm(path, { recursive: true });
}

test('a failed write is one clear error, and the next write succeeds with everything recorded', async (t) => {
  const { ledger, path } = await openLedger();
  const heal = await blockWrites(path);
  const error = await t.throwsAsync(ledger.recordResource({ kind: 'lxd-profile', name: 'first' }));
  t.true(error instanceof LedgerWriteError);
  t.is((error as LedgerWriteError).exitCode, 2);
  t.regex(
    error!.message,
    /^cannot write .*state\.json: it is a folder \(EISDIR\); the lab's ledger is not up to date\. Free space or fix the folder's permissions, then run the same command again\.$/,
  );
  await heal();
  await ledger.recordResource({ kind: 'lxd-profile', name: 'second' });
  const saved = JSON.parse(await readFile(path, 'utf8')) as { resources: { name: string; state: string }[] };
  t.deepEqual(
    saved.resources.map((r) => `${r.name}:${r.state}`),
    ['first:creating', 'second:created'],
  );
});

test("a step's own error is not masked by a ledger that cannot record it", async (t) => {
  const { ledger, path } = await openLedger();
  const step: Step = {
    name: 'deploy',
    title: 'Deploy the bundle',
    commands: () => [],
    satisfied: async () => undefined,
    run: async () => {
      await blockWrites(path);
      throw new JobError('juju deploy said no');
    },
  };
  const error = await t.throwsAsync(
    executeStep(
      step,
      ledger,
      { signal: new AbortController().signal, report: () => {} },
      {
        resumeCommand: 'lxdstack deploy',
        secrets: [],
        retryDelayMs: 0,
      },
    ),
  );
  t.is(error!.message, 'Step "Deploy the bundle" failed: juju deploy said no.');
  t.deepEqual((error as JobError).details, [
    `The ledger could not record this failure: cannot write ${path}: it is a folder (EISDIR); the lab's ledger is not up to date. Free space or fix the folder's permissions, then run the same command again.`,
    'Then run `lxdstack deploy` to resume from this step.',
  ]);
});
