import test from 'ava';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSimState } from '../../src/sim/state.js';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { runDemo } from '../../src/commands/demo.js';
import { InputError } from '../../src/util/errors.js';
import { captureContext } from '../pipeline/context.js';

// The README's main-job command, as a person runs it without a terminal: the whole lifecycle on the
// simulator with the tutorial profile and default answers, every part labelled SIMULATION. The first
// test runs the built CLI as a process; the others run its command line in this process.

test('lxdstack demo plans, deploys, verifies and tears down the tutorial lab on the simulator', async (t) => {
  const dir = join(await mkdtemp(join(tmpdir(), 'lxdstack-demo-test-')), 'lab');
  const result = await runCli(['demo', '--dir', dir], { env: { CI: '1' }, timeoutMs: 110_000 });
  t.is(result.exitCode, 0, result.stderr);
  const out = result.stdout;
  t.regex(out, /^SIMULATION: this lab runs on the built-in Juju simulator/);
  const order = [
    '== lxdstack plan',
    'Validation: ok',
    '== lxdstack deploy --simulate',
    'Preflight (doctor): SIMULATION:',
    'Controller lxdstack: bootstrapped',
    'Deploy the bundle: 15 applications',
    'Verify (smoke tests): ',
    'Dashboard:    http://',
    'Credentials:  ',
    '== lxdstack teardown --yes --simulate',
    'Teardown complete: nothing this lab created remains.',
    'SIMULATION: demo complete',
  ];
  let from = 0;
  for (const marker of order) {
    const at = out.indexOf(marker, from);
    t.true(at >= 0, `"${marker}" should follow in order`);
    from = Math.max(from, at);
  }
  t.regex(out, /Configure the cloud .*\[SKIPPED: SIMULATION: no OpenStack endpoint is configured/);
  // The plain renderer: one line per event, no cursor movement.
  t.false(out.includes(String.fromCharCode(27)));

  const labDir = join(dir, '.lxdstack', 'openstack-lab');
  const report = JSON.parse(
    await readFile(join(labDir, 'reports', 'latest', 'smoke-report.json'), 'utf8'),
  ) as {
    simulated: boolean;
    checks: { outcome: string; detail?: string; group: string }[];
  };
  t.true(report.simulated);
  const apiChecks = report.checks.filter((c) => c.group !== 'juju');
  t.true(
    apiChecks.length > 0 && apiChecks.every((c) => c.outcome === 'skip' && /SIMULATION/.test(c.detail ?? '')),
  );
  t.true(report.checks.filter((c) => c.group === 'juju').every((c) => c.outcome === 'pass'));
  const sim = await readSimState(join(labDir, 'sim'));
  t.deepEqual(Object.keys(sim.controllers), []);
  t.deepEqual(sim.lxd, { profiles: ['default'], containers: [] });
  const password = (await readFile(join(labDir, 'admin-password'), 'utf8')).trim();
  t.false(out.includes(password) || result.stderr.includes(password));
});

test('lxdstack demo --keep leaves the lab deployed and says how to remove it', async (t) => {
  const dir = join(await mkdtemp(join(tmpdir(), 'lxdstack-demo-keep-')), 'lab');
  const result = await runCliInProcess(['demo', '--dir', dir, '--keep'], {
    env: { CI: '1', LXDSTACK_SIM_SPEED: '0' },
  });
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /stays deployed on the simulator \(--keep\)/);
  t.regex(result.stdout, /lxdstack teardown --yes --simulate/);
  const sim = await readSimState(join(dir, '.lxdstack', 'openstack-lab', 'sim'));
  t.deepEqual(Object.keys(sim.controllers), ['lxdstack']);
  const down = await runCliInProcess(['teardown', '--yes'], { cwd: dir, env: { CI: '1' } });
  t.is(down.exitCode, 0, down.stderr);
  t.regex(down.stdout, /SIMULATION: /);
});

test('lxdstack demo refuses a folder that already holds a lab, and leaves it alone', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-demo-taken-'));
  await writeFile(join(dir, 'lab.yaml'), 'name: mine\nprofile: modern\n');
  const { ctx } = captureContext(dir);
  const error = await t.throwsAsync(runDemo({ dir: '.' }, ctx));
  t.true(error instanceof InputError);
  t.regex(error!.message, /lab\.yaml already exists, so that folder holds a lab/);
  t.is(await readFile(join(dir, 'lab.yaml'), 'utf8'), 'name: mine\nprofile: modern\n');
  await t.throwsAsync(access(join(dir, '.lxdstack')), { code: 'ENOENT' });
});

test('lxdstack demo --json prints one document: the plan, deploy, verify and teardown summaries', async (t) => {
  const dir = join(await mkdtemp(join(tmpdir(), 'lxdstack-demo-json-')), 'lab');
  const result = await runCliInProcess(['demo', '--json', '--dir', dir], { env: { CI: '1' } });
  t.is(result.exitCode, 0, result.stderr);
  const demo = JSON.parse(result.stdout) as {
    dir: string;
    plan: { valid: boolean; steps: { name: string }[] };
    deploy: { simulated: boolean; steps: { name: string; state: string }[]; dashboard?: string };
    verify: { passed: number; failed: number };
    teardown: { complete: boolean; leftovers: string[] };
    kept: boolean;
  };
  t.is(demo.dir, dir);
  t.true(demo.plan.valid);
  t.true(demo.deploy.simulated);
  // the plan listed exactly the steps the deploy then ran
  t.deepEqual(
    demo.deploy.steps.map((s) => s.name),
    demo.plan.steps.map((s) => s.name),
  );
  t.true(demo.verify.passed > 0);
  t.is(demo.verify.failed, 0);
  t.true(demo.teardown.complete);
  t.deepEqual(demo.teardown.leftovers, []);
  t.false(demo.kept);
  // the people's progress went to stderr
  t.regex(result.stderr, /== lxdstack deploy --simulate/);
});

test('lxdstack demo --json on a folder that holds a lab is an {"error"} document with exit 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-demo-json-'));
  await writeFile(join(dir, 'lab.yaml'), 'profile: tutorial-2016\n');
  const result = await runCliInProcess(['demo', '--json', '--dir', dir], { env: { CI: '1' } });
  t.is(result.exitCode, 2);
  const document = JSON.parse(result.stdout) as { error: { code: string; message: string } };
  t.is(document.error.code, 'usage');
  t.regex(document.error.message, /already exists, so that folder holds a lab/);
});
