import test from 'ava';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStepList, terminalWidth, useDefaultRenderer } from '../../src/pipeline/task-list.js';
import type { Step } from '../../src/pipeline/steps.js';
import { Ledger } from '../../src/state/ledger.js';
import { captureContext } from './context.js';

const LONG_REASON =
  'SIMULATION: no OpenStack endpoint is configured (source a novarc, or set OS_AUTH_URL, OS_USERNAME, OS_PASSWORD and OS_PROJECT_NAME)';

function step(name: string, title: string, skip?: string): Step {
  return {
    name,
    title,
    commands: () => [],
    satisfied: async () => skip,
    run: async (io) => {
      io.report('a progress line long enough to pass the width of an eighty-column terminal by some words');
      return 'done';
    },
  };
}

async function run(columns: number | undefined, terminal = true) {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-task-list-'));
  const ledger = await Ledger.open(dir, 'lab', 'test');
  const capture = captureContext(dir);
  // A terminal that reports no width gets the plain renderer, wrapped at 80.
  if (terminal) Object.assign(capture.ctx, { interactive: true, env: {} });
  if (columns !== undefined) Object.assign(capture.ctx.stdout, { columns });
  await runStepList(
    [
      step('configure', 'Configure the cloud (images, flavors, networks)', LONG_REASON),
      step('deploy', 'Deploy'),
    ],
    ledger,
    capture.ctx,
    { resumeCommand: 'lxdstack deploy', secrets: [] },
  );
  return capture.stdout();
}

const words = (text: string) => text.replaceAll(/[\s›↓✔❯[\]:]+/g, ' ').trim();

test('without a TTY: a plain log, one line per event, every title kept', async (t) => {
  const out = await run(undefined, false);
  t.false(out.includes('\x1b'), 'no cursor movement or colour');
  t.true(out.includes(`↓ Configure the cloud (images, flavors, networks) [SKIPPED: ${LONG_REASON}]\n`));
  t.regex(
    out,
    /› a progress line long enough to pass the width of an eighty-column terminal by some words\n/,
  );
  t.regex(out, /✔ Deploy: done/);
});

for (const [columns, width] of [
  [0, 80],
  [60, 60],
] as const) {
  test(`on a terminal that reports ${columns} columns: every title kept, wrapped between words at ${width}`, async (t) => {
    const out = await run(columns);
    t.false(out.includes('\x1b'), 'no cursor movement or colour');
    t.regex(out, /↓ Configure the cloud \(images, flavors, networks\) \[SKIPPED: \s*SIMULATION/);
    t.regex(out, /✔ Deploy: done/);
    for (const line of out.split('\n')) t.true(line.length <= width, `"${line}" fits in ${width}`);
    // wrapped between words only: joining the lines gives the words back
    t.true(words(out).includes(words(LONG_REASON)));
    t.true(words(out).includes('an eighty-column terminal by some words'));
  });
}

test('the default renderer needs a terminal that reports a width', (t) => {
  const { ctx } = captureContext('/tmp');
  const tty = { ...ctx, interactive: true, env: {} };
  t.false(useDefaultRenderer({ ...tty, stdout: Object.assign(ctx.stdout, { columns: 0 }) }));
  t.true(useDefaultRenderer({ ...tty, stdout: Object.assign(ctx.stdout, { columns: 120 }) }));
  t.is(terminalWidth({ columns: 0 }), 80);
  t.is(terminalWidth({}), 80);
  t.is(terminalWidth({ columns: 132 }), 132);
});
