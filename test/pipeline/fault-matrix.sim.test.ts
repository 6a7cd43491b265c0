import test from 'ava';
import { readdir, readFile, rm } from 'node:fs/promises';
import { execa } from 'execa';
import { join } from 'node:path';
import { baselineEndState, endState, noSecret, teardownLeavesNothing } from './fault-matrix.js';
import { cliInProcess, ledger, newSimLab, setFaults, spawnCli } from './sim-lab.js';

// The reliability matrix's cases that need the built CLI as a process of its own: Ctrl-C exits 130 and
// kills its juju call, kill -9 at each step then a re-run completes, and the admin password appears in
// no process argv. The other cases run in-process (fault-matrix.test.ts).

/** Poll until `check` holds (a state the CLI reaches while it runs). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Child processes of a pid (the juju calls of a CLI run), read from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

let baseline: Record<string, number>;

test.before(async () => {
  baseline = await baselineEndState();
});

test.serial('Ctrl-C during a step exits 130, kills its juju call, and a re-run completes', async (t) => {
  const lab = await newSimLab();
  await setFaults(lab, { hang: [{ command: 'deploy' }] });
  const run = spawnCli(lab, ['deploy', '--simulate']);
  await until(
    async () =>
      (await ledger(lab)).steps.deploy?.state === 'running' && (await childrenOf(run.pid!)).length > 0,
    'the deploy step to run',
  );
  const children = await childrenOf(run.pid!);
  run.kill('SIGINT');
  const result = await run;
  t.is(result.exitCode, 130, String(result.stderr));
  t.regex(
    String(result.stderr),
    /Interrupted during "Deploy the bundle"; run `lxdstack deploy --simulate` to resume from this step\./,
  );
  for (const pid of children)
    t.throws(() => process.kill(pid, 0), undefined, `juju call ${pid} outlived the interrupt`);
  t.is((await ledger(lab)).steps.deploy?.state, 'failed');
  await rm(join(lab.simDir, 'faults.json'));
  const again = await cliInProcess(lab, ['deploy']);
  t.is(again.exitCode, 0, again.stderr);
  t.regex(again.stdout, /Controller lxdstack \[SKIPPED: controller lxdstack is up\]/);
  t.deepEqual(await endState(lab), baseline);
  await teardownLeavesNothing(t, lab);
});

const KILL_POINTS: { step: string; faults?: unknown; env?: Record<string, string> }[] = [
  { step: 'controller', faults: { hang: [{ command: 'bootstrap' }] } },
  { step: 'model', faults: { hang: [{ command: 'add-model' }] } },
  { step: 'deploy', faults: { hang: [{ command: 'deploy' }] } },
  { step: 'wait', env: { LXDSTACK_SIM_SPEED: '1' } },
];

for (const point of KILL_POINTS) {
  test.serial(
    `kill -9 during the ${point.step} step, then deploy completes and teardown leaves nothing`,
    async (t) => {
      const lab = await newSimLab();
      if (point.faults) await setFaults(lab, point.faults);
      const run = spawnCli(lab, ['deploy', '--simulate'], point.env);
      await until(
        async () => (await ledger(lab)).steps[point.step]?.state === 'running',
        `step ${point.step} to run`,
      );
      const children = await childrenOf(run.pid!);
      run.kill('SIGKILL');
      await run;
      // The killed CLI could not stop its juju call; the test ends it (its own process group).
      for (const pid of children) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      t.is((await ledger(lab)).steps[point.step]?.state, 'running');
      await rm(join(lab.simDir, 'faults.json'), { force: true });
      const again = await cliInProcess(lab, ['deploy']);
      t.is(again.exitCode, 0, again.stderr);
      t.deepEqual(await endState(lab), baseline);
      await teardownLeavesNothing(t, lab);
    },
  );
}

test.serial(
  'the admin password appears in no process argv, log, ledger, report or diagnostics tarball',
  async (t) => {
    const lab = await newSimLab({ LXDSTACK_SIM_SPEED: '20' });
    const run = spawnCli(lab, ['deploy', '--simulate']);
    const seen: string[] = [];
    let sampling = true;
    // The CLI and the juju calls it runs (its children), sampled every few milliseconds: a scan of all
    // of /proc took long enough on a loaded machine to miss a short juju call altogether.
    const sampler = (async () => {
      while (sampling) {
        for (const pid of [run.pid!, ...(await childrenOf(run.pid!))]) {
          const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
          if (cmdline) seen.push(cmdline.replaceAll('\0', ' '));
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const result = await run;
    sampling = false;
    await sampler;
    t.is(result.exitCode, 0, String(result.stderr));
    t.true(
      seen.some((c) => / deploy -m lxdstack:openstack /.test(c)),
      'the sampler saw the juju deploy call',
    );
    noSecret(t, ...seen, String(result.stdout), String(result.stderr));

    const logs = await cliInProcess(lab, ['logs', '--output', join(lab.cwd, 'diag.tar.gz')]);
    t.is(logs.exitCode, 0, logs.stderr);
    const listing = await execa('tar', ['-tzf', join(lab.cwd, 'diag.tar.gz')]);
    for (const entry of [
      'spec.yaml',
      'lab/state.json',
      'lab/bundle.yaml',
      'juju-status.json',
      'debug-log.txt',
      'lxd.txt',
    ]) {
      t.true(
        listing.stdout.split('\n').some((line) => line.endsWith(`/${entry}`)),
        `the tarball holds ${entry}`,
      );
    }
    // each smoke run keeps its own report folder
    t.regex(
      listing.stdout,
      /\/lab\/reports\/[^/]+\/smoke-report\.html$/m,
      'the tarball holds the smoke report',
    );
    t.false(listing.stdout.includes('admin-password'));
    const contents = await execa('tar', ['-xzOf', join(lab.cwd, 'diag.tar.gz')]);
    noSecret(t, contents.stdout);
    t.regex(contents.stdout, /\*\*\*/);

    const files = [
      join(lab.labDir, 'state.json'),
      ...(await readdir(join(lab.labDir, 'reports', 'latest'))).map((f) =>
        join(lab.labDir, 'reports', 'latest', f),
      ),
    ];
    for (const file of files) noSecret(t, await readFile(file, 'utf8'));
    const html = await readFile(join(lab.labDir, 'reports', 'latest', 'smoke-report.html'), 'utf8');
    t.regex(html, /SIMULATION/);
    await teardownLeavesNothing(t, lab);
  },
);
