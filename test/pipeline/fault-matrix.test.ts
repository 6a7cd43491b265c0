import test from 'ava';
import { CLEAN, baselineEndState, endState, noSecret, teardownLeavesNothing } from './fault-matrix.js';
import { cliInProcess as cli, ledger, newSimLab, setFaults, simFootprint } from './sim-lab.js';

// The reliability matrix of issue 7 on the simulator, through the CLI's command line in this process
// (juju played in-process): transient failures reach the same end state, a permanent failure names the
// step, cause and next command, and teardown escalates; after every case teardown leaves the simulator
// as it was before the deploy. Every output is scanned for the admin password. The cases that need a
// process of their own (Ctrl-C, kill -9, process argv) are in fault-matrix.sim.test.ts.

let baseline: Record<string, number>;

test.before(async () => {
  baseline = await baselineEndState();
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
      [
        'lxd-pool:created',
        'lxd-network:created',
        'lxd-network:created',
        'controller:created',
        'model:created',
      ],
    );
    noSecret(t, result.stdout, result.stderr);
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
