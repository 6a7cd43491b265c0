import test from 'ava';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

// `lxdstack verify` as a user runs it, where no cloud is needed: usage errors and a simulation.

const clean = { PATH: process.env.PATH, HOME: '/nonexistent-home' };

test('with no lab, no OS_* variables and no --os-cloud, verify says what to do and exits 2', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-verify-'));
  const result = await runCli(['verify'], { cwd, env: clean });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /Nothing to verify: no lab\.yaml here, no OS_AUTH_URL or OS_CLOUD, no --os-cloud/);
});

test('an unknown report format and an unknown cloud name are usage errors', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-verify-'));
  const bad = await runCli(['verify', '--simulate', '--report', 'junit,pdf'], { cwd, env: clean });
  t.is(bad.exitCode, 2);
  t.regex(bad.stderr, /--report: unknown format pdf/);
  await writeFile(
    join(cwd, 'clouds.yaml'),
    'clouds:\n  lab:\n    auth: {auth_url: http://127.0.0.1:9/v3, username: u, password: p, project_name: pr}\n',
  );
  const unknown = await runCli(['verify', '--os-cloud', 'nope'], { cwd, env: clean });
  t.is(unknown.exitCode, 2);
  t.regex(unknown.stderr, /has no cloud named "nope" \(it has: lab\)/);
});

test('a simulated verify says SIMULATION in the summary and the reports, and passes nothing it did not run', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-verify-'));
  const out = join(cwd, 'out');
  const result = await runCli(
    ['verify', '--simulate', '--suite', 'quick', '--report', 'junit,html', '--out', out],
    { cwd, env: clean },
  );
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /^Verifying SIMULATION\.\nSIMULATION: no real cloud was tested/);
  t.regex(result.stdout, /NOTHING VERIFIED: 0 passed, 0 failed, 7 skipped/);
  t.regex(await readFile(join(out, 'smoke-report.html'), 'utf8'), /<div class="banner">SIMULATION/);
  t.regex(
    await readFile(join(out, 'smoke-report.junit.xml'), 'utf8'),
    /name="lxdstack smoke quick \(SIMULATION\)" tests="7" failures="0" errors="0" skipped="7"/,
  );
});
