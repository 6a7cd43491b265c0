import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readSimState } from '../../src/sim/state.js';
import {
  ADMIN_PASSWORD,
  cli,
  ledger,
  newSimLab,
  setFaults,
  simFootprint,
  spawnCli,
  type SimLab,
} from './sim-lab.js';

// The reliability matrix of issue 7 on the simulator, through the built CLI: transient failures reach
// the same end state, a permanent failure names the step, cause and next command, Ctrl-C exits 130 and
// a re-run completes, kill -9 at each step then deploy completes; after every case teardown leaves the
// simulator as it was before the deploy. Every output is scanned for the admin password.

const CLEAN = { controllers: [], profiles: ['default'], containers: [] };

/** The deployed model as the simulator holds it: applications and their unit counts. */
async function endState(lab: SimLab): Promise<Record<string, number>> {
  const state = await readSimState(lab.simDir);
  const model = state.controllers.lxdstack?.models.openstack;
  if (!model) return {};
  return Object.fromEntries(
    Object.values(model.applications).map((a) => [a.name, Object.keys(a.units).length]),
  );
}

function noSecret(t: ExecutionContext, ...texts: string[]) {
  for (const text of texts)
    t.false(text.includes(ADMIN_PASSWORD), 'the admin password leaked into an output');
}

async function teardownLeavesNothing(t: ExecutionContext, lab: SimLab) {
  const down = await cli(lab, ['teardown', '--yes']);
  t.is(down.exitCode, 0, down.stderr);
  t.deepEqual(await simFootprint(lab), CLEAN);
  noSecret(t, down.stdout, down.stderr, await readFile(join(lab.labDir, 'state.json'), 'utf8'));
}

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
  const lab = await newSimLab();
  const result = await cli(lab, ['deploy', '--simulate']);
  if (result.exitCode !== 0) throw new Error(`baseline deploy failed: ${result.stderr}`);
  baseline = await endState(lab);
  await cli(lab, ['teardown', '--yes']);
});

test.serial('the baseline deploys the 15 applications of the 2016 bundle', (t) => {
  t.is(Object.keys(baseline).length, 15);
  t.is(baseline['nova-compute'], 1);
});

for (const command of ['bootstrap', 'add-model', 'deploy', 'status']) {
  test.serial(
    `a transient failure of \`juju ${command}\` is retried or resumed to the same end state`,
    async (t) => {
      const lab = await newSimLab();
      await setFaults(lab, { failOnce: [{ command, message: 'connection is shut down' }] });
      const first = await cli(lab, ['deploy', '--simulate']);
      noSecret(t, first.stdout, first.stderr);
      if (first.exitCode !== 0) {
        t.is(first.exitCode, 1, first.stderr);
        t.regex(first.stderr, /^error: Step ".+" failed: .*connection is shut down/m);
        t.regex(first.stderr, /Then run `lxdstack deploy --simulate` to resume from this step\./);
        const again = await cli(lab, ['deploy']);
        t.is(again.exitCode, 0, again.stderr);
      } else {
        t.regex(first.stdout, /attempt 1 failed \(.*connection is shut down.*\); retrying/);
      }
      t.deepEqual(await endState(lab), baseline);
      await teardownLeavesNothing(t, lab);
    },
  );
}

test.serial(
  'a permanent failure (a unit whose install hook fails) exits 1 naming the step, cause and next command',
  async (t) => {
    const lab = await newSimLab();
    await setFaults(lab, { unitErrors: [{ unit: 'keystone/0', hook: 'install' }] });
    const result = await cli(lab, ['deploy', '--simulate']);
    t.is(result.exitCode, 1);
    t.regex(
      result.stderr,
      /^error: Step "Wait for readiness" failed: unit keystone\/0 failed: .*hook failed: "install"/m,
    );
    t.regex(result.stderr, /Next: look at `lxdstack status`/);
    t.regex(result.stderr, /Then run `lxdstack deploy --simulate` to resume from this step\./);
    const state = await ledger(lab);
    t.is(state.steps.wait?.state, 'failed');
    t.is(state.steps.deploy?.state, 'done');
    t.deepEqual(
      state.resources.map((r) => `${r.kind}:${r.state}`),
      ['controller:created', 'model:created'],
    );
    noSecret(t, result.stdout, result.stderr);
    await teardownLeavesNothing(t, lab);
  },
);

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
  const again = await cli(lab, ['deploy']);
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
      const again = await cli(lab, ['deploy']);
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
    const sampler = (async () => {
      while (sampling) {
        for (const pid of await readdir('/proc').catch(() => [] as string[])) {
          if (!/^\d+$/.test(pid)) continue;
          const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
          if (cmdline.includes('juju') || cmdline.includes('lxdstack') || cmdline.includes('cli.js'))
            seen.push(cmdline.replaceAll('\0', ' '));
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
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

    const logs = await cli(lab, ['logs', '--output', join(lab.cwd, 'diag.tar.gz')]);
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

test.serial(
  'teardown escalates: a destroy-model that fails is forced (--force --no-wait) and the simulator ends clean',
  async (t) => {
    const lab = await newSimLab();
    t.is((await cli(lab, ['deploy', '--simulate'])).exitCode, 0);
    await setFaults(lab, {
      failOnce: [{ command: 'destroy-model', message: 'timeout while waiting for the model to be removed' }],
    });
    const down = await cli(lab, ['teardown', '--yes']);
    t.is(down.exitCode, 0, down.stderr);
    t.regex(
      down.stdout,
      /destroy-model .*timeout while waiting for the model to be removed.*; forcing \(--force --no-wait\)/,
    );
    t.deepEqual(await simFootprint(lab), CLEAN);
  },
);
