import test from 'ava';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// execa strips the final newline of stdout
import { runCli } from '../helpers/cli.js';
import { REFERENCE_DIR } from './reference.js';

const SPELL_2016 = join(REFERENCE_DIR, 'spell-2016-10-13.yaml');

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bundle-cli-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

test('bundle validate --juju 2.9 accepts the 2016 spell: prints ok, exit 0', async (t) => {
  const result = await runCli(['bundle', 'validate', SPELL_2016, '--juju', '2.9']);
  t.is(result.stdout, 'ok');
  t.is(result.exitCode, 0);
});

test('bundle validate --juju 3 refuses the spell in Juju 3 words, one error per line, exit 1', async (t) => {
  const result = await runCli(['bundle', 'validate', SPELL_2016, '--juju', '3']);
  const lines = result.stdout.trimEnd().split('\n');
  t.is(lines[0], 'at least one application must be specified');
  t.is(
    lines[1],
    'relation ["nova-compute:amqp" "rabbitmq-server:amqp"] refers to application "nova-compute" not defined in this bundle',
  );
  t.is(result.exitCode, 1);
});

test('bundle validate --json prints exactly {valid, errors}', async (t) => {
  const bad = await tempFile('bad.yaml', 'applications:\n  mysql:\n    charm: cs:mysql\n    num_units: -1\n');
  const result = await runCli(['bundle', 'validate', bad, '--json']);
  t.deepEqual(JSON.parse(result.stdout), {
    valid: false,
    errors: [
      'invalid charm URL in application "mysql": cannot parse URL "cs:mysql": schema "cs" not valid',
      'negative number of units specified on application "mysql"',
    ],
  });
  t.deepEqual(Object.keys(JSON.parse(result.stdout) as object), ['valid', 'errors']);
  t.is(result.exitCode, 1);
  const good = await runCli(['bundle', 'validate', SPELL_2016, '--juju', '2.9', '--json']);
  t.is(good.stdout, '{"valid":true,"errors":[]}');
});

test('bundle validate applies --overlay files in order after the base', async (t) => {
  const base = await tempFile(
    'base.yaml',
    'applications:\n  a: {charm: ch:mysql, num_units: 1}\n  b: {charm: ch:wordpress, num_units: 1}\nrelations:\n- [a, b]\n',
  );
  const remove = await tempFile('remove.yaml', 'applications:\n  b:\n');
  const place = await tempFile('place.yaml', 'applications:\n  a:\n    to: ["3"]\n');
  t.is((await runCli(['bundle', 'validate', base, '--overlay', remove])).stdout, 'ok');
  const result = await runCli(['bundle', 'validate', base, '--overlay', remove, '--overlay', place]);
  t.is(result.stdout, 'placement "3" refers to a machine not defined in this bundle');
  t.is(result.exitCode, 1);
});

test('bundle validate: unparsable YAML is exit 2 with file:line:column', async (t) => {
  const broken = await tempFile('broken.yaml', 'applications:\n  a:\n    charm: "unterminated\n');
  const result = await runCli(['bundle', 'validate', broken]);
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /broken\.yaml:\d+:\d+: /);
  t.is(result.stdout, '');
});

test('bundle validate: a list, a missing file and a 50 MB file are exit 2 with a sentence', async (t) => {
  const list = await tempFile('list.yaml', '- a\n- b\n');
  t.regex((await runCli(['bundle', 'validate', list])).stderr, /document 0 is a list, not a map/);
  const missing = await runCli(['bundle', 'validate', '/nonexistent/bundle.yaml']);
  t.is(missing.exitCode, 2);
  t.regex(missing.stderr, /does not exist/);
  const big = await tempFile('big.yaml', `applications: {}\n#${'x'.repeat(50 * 1024 * 1024)}\n`);
  const huge = await runCli(['bundle', 'validate', big]);
  t.is(huge.exitCode, 2);
  t.regex(huge.stderr, /limit/);
});

test('graph writes an SVG and the DOT beside it for the lab in lab.yaml', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'graph-cli-'));
  t.is((await runCli(['init', '--yes', '--profile', 'tutorial-2016'], { cwd: dir })).exitCode, 0);
  const result = await runCli(['graph', '-o', 'topology.svg'], { cwd: dir });
  t.is(result.exitCode, 0, result.stderr);
  t.is(result.stdout, `wrote ${join(dir, 'topology.svg')}\nwrote ${join(dir, 'topology.dot')}`);
  const svg = await readFile(join(dir, 'topology.svg'), 'utf8');
  t.is((svg.match(/class="node"/g) ?? []).length, 15);
  const dot = await readFile(join(dir, 'topology.dot'), 'utf8');
  t.true(dot.includes('openstack-lab: tutorial-2016 (15 applications, 28 relations)'));
});

test('graph without lab.yaml says how to make one, exit 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'graph-cli-'));
  const result = await runCli(['graph'], { cwd: dir });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /lxdstack init/);
});

test('bundle validate warns on stderr about fields Juju would ignore, and still says ok', async (t) => {
  const typo = await tempFile(
    'typo.yaml',
    'applications:\n  mysql:\n    charm: ch:mysql\n    num-units: 3\n',
  );
  const result = await runCli(['bundle', 'validate', typo]);
  t.is(result.stdout, 'ok');
  t.is(
    result.stderr,
    'warning: unmarshal document 0: field num-units not found in applications (application "mysql"); Juju ignores it',
  );
  t.is(result.exitCode, 0);
});
