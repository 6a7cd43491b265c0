import test from 'ava';
import { access, mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliInProcess, type CliResult } from '../helpers/cli.js';

// Every command's --json: one JSON document on stdout, whatever happens, and the exit code it would have
// without --json. The lab is driven from another folder with -a: its state stays beside its lab.yaml.

const SIM = { CI: '1', LXDSTACK_SIM_SPEED: '0' };

function onlyJson(t: { fail(message: string): void }, result: CliResult): Record<string, unknown> {
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    t.fail(`stdout is not one JSON document:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
    return {};
  }
}

test('the whole lifecycle with --json, run from another folder with -a', async (t) => {
  t.timeout(240_000);
  const home = await mkdtemp(join(tmpdir(), 'lxdstack-json-'));
  const elsewhere = join(home, 'elsewhere');
  await mkdir(elsewhere);
  const lab = join(home, 'lab.yaml');
  // The command line in this process (the tests below spawn the built CLI for the process's streams).
  const run = (args: string[]) => runCliInProcess([...args, '--json'], { cwd: elsewhere, env: SIM });

  const init = await runCliInProcess(['init', '--yes', '--profile', 'tutorial-2016', '--json'], {
    cwd: home,
  });
  t.is(init.exitCode, 0, init.stderr);
  t.like(onlyJson(t, init), { path: lab, lab: 'openstack-lab', profile: 'tutorial-2016' });

  const plan = await run(['plan', '-a', lab]);
  t.is(plan.exitCode, 0, plan.stderr);
  t.like(onlyJson(t, plan), { lab: 'openstack-lab', valid: true });

  const deploy = await run(['deploy', '--simulate', '-a', lab]);
  t.is(deploy.exitCode, 0, deploy.stderr);
  const deployed = onlyJson(t, deploy) as { simulated: boolean; steps: { name: string; state: string }[] };
  t.true(deployed.simulated);
  t.deepEqual(
    deployed.steps.map((s) => s.name),
    ['preflight', 'prepare-lxd', 'controller', 'model', 'deploy', 'wait', 'expose', 'configure', 'verify'],
  );
  t.regex(deploy.stderr, /Deploy the bundle/, 'the progress went to stderr');
  // deploy's HTML report carries the lab's topology, as verify's does
  const html = await readFile(
    join(home, '.lxdstack', 'openstack-lab', 'reports', 'latest', 'smoke-report.html'),
    'utf8',
  );
  t.regex(html, /<svg/);

  const status = await run(['status', '-a', lab]);
  t.is(status.exitCode, 0, status.stderr);
  onlyJson(t, status);

  const verify = await run(['verify', '-a', lab, '--report', 'json']);
  t.is(verify.exitCode, 0, verify.stderr);
  const verified = onlyJson(t, verify) as { ok: boolean; reports: string[]; report: { suite: string } };
  t.true(verified.ok);
  t.is(verified.report.suite, 'full');
  t.true(verified.reports[0]!.startsWith(join(home, '.lxdstack', 'openstack-lab', 'reports')));
  // deploy's run and this one each kept their reports
  const runs = (await readdir(join(home, '.lxdstack', 'openstack-lab', 'reports'))).filter(
    (f) => f !== 'latest',
  );
  t.is(runs.length, 2);

  const scale = await run(['scale', 'compute=2', '-a', lab]);
  t.is(scale.exitCode, 0, scale.stderr);
  t.like(onlyJson(t, scale), { application: 'nova-compute', units: 2 });

  const logs = await run(['logs', '-a', lab, '-o', join(home, 'diag.tar.gz')]);
  t.is(logs.exitCode, 0, logs.stderr);
  t.like(onlyJson(t, logs), { output: join(home, 'diag.tar.gz') });

  const redeploy = await run(['redeploy', '--yes', '-a', lab]);
  t.is(redeploy.exitCode, 0, redeploy.stderr);
  const again = onlyJson(t, redeploy) as { teardown: { leftovers: string[] }; deploy: { lab: string } };
  t.deepEqual(again.teardown.leftovers, []);
  t.is(again.deploy.lab, 'openstack-lab');

  const teardown = await run(['teardown', '--yes', '-a', lab]);
  t.is(teardown.exitCode, 0, teardown.stderr);
  t.like(onlyJson(t, teardown), { complete: true, leftovers: [] });

  // nothing of the lab's state was left in the folder the commands ran from
  await t.throwsAsync(access(join(elsewhere, '.lxdstack')), { code: 'ENOENT' });
});

test('errors are one {"error"} document on stdout, with the exit code unchanged', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-json-'));
  const missing = await runCli(['deploy', '--simulate', '--json'], { cwd, env: SIM });
  t.is(missing.exitCode, 2);
  const error = onlyJson(t, missing) as { error: { code: string; exitCode: number; message: string } };
  t.is(error.error.code, 'usage');
  t.is(error.error.exitCode, 2);
  t.regex(error.error.message, /No lab\.yaml in .*: run `lxdstack init`/);

  const usage = await runCli(['scale', '--json'], { cwd, env: SIM });
  t.is(usage.exitCode, 2);
  t.like(onlyJson(t, usage), { error: { code: 'usage' } });

  const teardownNothing = await runCli(['status', '--json', '--simulate', '-a', 'nope.yaml'], {
    cwd,
    env: SIM,
  });
  t.is(teardownNothing.exitCode, 2);
  t.like(onlyJson(t, teardownNothing), { error: { code: 'usage' } });
});

test('a bad environment setting exits 2, naming it, before anything is recorded', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-env-'));
  const init = await runCli(['init', '--yes'], { cwd });
  t.is(init.exitCode, 0, init.stderr);
  for (const [name, value, pattern] of [
    ['LXDSTACK_SIM_SPEED', 'abc', /LXDSTACK_SIM_SPEED: "abc" is not a number >= 0/],
    ['LXDSTACK_SIM_FAULTS', '{"unitErrors": [', /LXDSTACK_SIM_FAULTS: not valid JSON/],
    ['LXDSTACK_SIM_FAULTS', '{"unitErrorz": []}', /LXDSTACK_SIM_FAULTS: the unknown key unitErrorz/],
    ['LXDSTACK_SIM_JUJU_VERSION', 'banana', /LXDSTACK_SIM_JUJU_VERSION: "banana" is not a Juju version/],
    ['LXDSTACK_SIM_CLOUDS', 'lab', /LXDSTACK_SIM_CLOUDS: "lab" is not name=type/],
    ['LXDSTACK_SIM_WAIT_TIMEOUT', '0', /LXDSTACK_SIM_WAIT_TIMEOUT: "0" is not a number of seconds > 0/],
  ] as const) {
    const result = await runCli(['deploy', '--simulate'], { cwd, env: { CI: '1', [name]: value } });
    t.is(result.exitCode, 2, `${name}=${value}`);
    t.regex(result.stderr, pattern);
    t.notRegex(result.stderr, /Step "|juju bootstrap|ERROR/, 'not reported as a juju failure');
  }
  await t.throwsAsync(access(join(cwd, '.lxdstack')), { code: 'ENOENT' });
});

test('bare lxdstack prints the help on stdout and succeeds', async (t) => {
  const result = await runCli([]);
  t.is(result.exitCode, 0);
  t.regex(result.stdout, /^Usage: lxdstack/);
  t.is(result.stderr, '');
});
