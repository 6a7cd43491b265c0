import test from 'ava';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'cli-'));
}

const noStack = (text: string) => !/\n\s+at .+\(.*:\d+:\d+\)/.test(text) && !text.includes('node:internal');

test('--help lists every command (snapshot)', async (t) => {
  const result = await runCli(['--help']);
  t.is(result.exitCode, 0);
  t.snapshot(result.stdout);
});

test('--version prints the package version', async (t) => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const result = await runCli(['--version']);
  t.is(result.exitCode, 0);
  t.is(result.stdout.trim(), pkg.version);
});

test('an unknown command or option is a usage error (exit 2)', async (t) => {
  const unknown = await runCli(['deploi']);
  t.is(unknown.exitCode, 2);
  t.regex(unknown.stderr, /unknown command 'deploi'/);
  t.regex(unknown.stderr, /Did you mean deploy\?/);
  const option = await runCli(['init', '--profile', 'nope']);
  t.is(option.exitCode, 2);
  t.regex(option.stderr, /Allowed choices are tutorial-2016, novalxd-final, modern/);
});

test('init --yes --profile tutorial-2016 writes a valid, commented lab.yaml', async (t) => {
  const cwd = await tempDir();
  const result = await runCli(['init', '--yes', '--profile', 'tutorial-2016'], { cwd });
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /Next: lxdstack plan/);
  const text = await readFile(join(cwd, 'lab.yaml'), 'utf8');
  t.regex(text, /# Ubuntu series of the charms\nseries: xenial/);
  const again = await runCli(['init', '--answers', 'lab.yaml', '-o', 'copy.yaml'], { cwd });
  t.is(again.exitCode, 0, again.stderr);
  t.is(await readFile(join(cwd, 'copy.yaml'), 'utf8'), text);
});

test('a missing answers file: one line, exit 2', async (t) => {
  const cwd = await tempDir();
  const result = await runCli(['init', '--answers', 'missing.yaml'], { cwd });
  t.is(result.exitCode, 2);
  t.is(
    result.stderr.trim(),
    `error: The answers file ${join(cwd, 'missing.yaml')} does not exist; check the path.`,
  );
});

test('a YAML syntax error names line and column, exit 2', async (t) => {
  const cwd = await tempDir();
  await writeFile(join(cwd, 'broken.yaml'), 'name: lab\nsizing:\n  computeUnits: [1\n');
  const result = await runCli(['init', '--answers', 'broken.yaml'], { cwd });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /^error: .*broken\.yaml:\d+:\d+: /);
  t.true(noStack(result.stderr), result.stderr);
});

test('field errors: each printed on its own line, exit 2, nothing written', async (t) => {
  const cwd = await tempDir();
  await writeFile(
    join(cwd, 'broken.yaml'),
    'profile: tutorial-2016\nsizing:\n  computeUnits: two\nnetwork:\n  gatway: 10.99.0.1\n  externalCidr: 10.99.0.0/33\n',
  );
  const result = await runCli(['init', '--answers', 'broken.yaml'], { cwd });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /3 problems in the lab answers/);
  t.regex(result.stderr, / {2}- sizing\.computeUnits: expected number, received string \(got "two"\)/);
  t.regex(result.stderr, / {2}- network\.gatway: unknown key; did you mean network\.gateway\?/);
  t.regex(result.stderr, / {2}- network\.externalCidr: prefix \/33 is out of range/);
  t.true(noStack(result.stderr), result.stderr);
  await t.throwsAsync(access(join(cwd, 'lab.yaml')));
});

test('init without a terminal and without --yes refuses, exit 2', async (t) => {
  const cwd = await tempDir();
  const result = await runCli(['init'], { cwd });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /--yes/);
});

test('commands that need a lab say how to make one when lab.yaml is missing', async (t) => {
  const cwd = await tempDir();
  const result = await runCli(['plan'], { cwd });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /No lab\.yaml in .*: run `lxdstack init`/);
});
