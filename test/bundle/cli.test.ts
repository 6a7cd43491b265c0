import test from 'ava';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// execa strips the final newline of stdout
import { runCliInProcess as runCli } from '../helpers/cli.js';
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

test('bundle validate --json prints exactly {valid, errors, warnings, unchecked}', async (t) => {
  const bad = await tempFile('bad.yaml', 'applications:\n  mysql:\n    charm: cs:mysql\n    num_units: -1\n');
  const result = await runCli(['bundle', 'validate', bad, '--json']);
  t.deepEqual(JSON.parse(result.stdout), {
    valid: false,
    errors: [
      'invalid charm URL in application "mysql": cannot parse URL "cs:mysql": schema "cs" not valid',
      'negative number of units specified on application "mysql"',
    ],
    warnings: [],
    unchecked: [],
  });
  t.deepEqual(Object.keys(JSON.parse(result.stdout) as object), ['valid', 'errors', 'warnings', 'unchecked']);
  t.is(result.exitCode, 1);
  const good = await runCli([
    'bundle',
    'validate',
    SPELL_2016,
    '--juju',
    '2.9',
    '--profile',
    'tutorial-2016',
    '--json',
  ]);
  t.is(good.stdout, '{"valid":true,"errors":[],"warnings":[],"unchecked":[]}');
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
    [
      'warning: unmarshal document 0: field num-units not found in applications (application "mysql"); Juju ignores it',
      'note: not checked against charm metadata (the charm catalogue does not know them; --charms DIR can describe them): ch:mysql',
    ].join('\n'),
  );
  t.is(result.exitCode, 0);
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test("bundle validate accepts the charmers' reference bundle and the three profiles with every charm checked", async (t) => {
  const reference = await runCli([
    'bundle',
    'validate',
    join(REFERENCE_DIR, 'charm-guide-bundle-noble-2024.1.yaml'),
  ]);
  t.is(reference.stdout, 'ok');
  t.is(reference.exitCode, 0);
  // --profile also gives the profile's Juju flavour
  for (const [profile, overlays] of [
    ['tutorial-2016', []],
    ['novalxd-final', []],
    ['modern', ['overlays/cinder-off.yaml']],
  ] as const) {
    const dir = join(ROOT, 'bundles', profile);
    const args = ['bundle', 'validate', join(dir, 'bundle.yaml'), '--profile', profile, '--json'];
    for (const overlay of overlays) args.push('--overlay', join(dir, overlay));
    const result = await runCli(args);
    t.is(result.stdout, '{"valid":true,"errors":[],"warnings":[],"unchecked":[]}', profile);
    t.is(result.exitCode, 0);
  }
});

test("bundle validate rejects a wrong endpoint or interface in Juju's words, exit 1", async (t) => {
  const bad = await tempFile(
    'bad.yaml',
    [
      'applications:',
      '  keystone: {charm: keystone, channel: 2024.1/stable, num_units: 1}',
      '  glance: {charm: glance, channel: 2024.1/stable, num_units: 1}',
      '  rabbitmq-server: {charm: rabbitmq-server, channel: 3.9/stable, num_units: 1}',
      'relations:',
      '- [glance:identity-service, keystone:identity-service]',
      '- [glance:amqp, keystone:identity-service]',
      '- [glance:amqp, rabbitmq-server:ampq]',
      '',
    ].join('\n'),
  );
  const result = await runCli(['bundle', 'validate', bad]);
  t.is(
    result.stdout,
    [
      'mismatched interface between "keystone:identity-service" and "glance:amqp" ("keystone" vs "rabbitmq")',
      'charm "rabbitmq-server" used by application "rabbitmq-server" does not define relation "ampq"',
    ].join('\n'),
  );
  t.is(result.exitCode, 1);
});

test('bundle validate --charms DIR: strict, in Juju words; a broken charm folder is one line, exit 2, also in --json', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bundle-charms-'));
  await mkdir(join(dir, 'charms', 'wordpress'), { recursive: true });
  await writeFile(
    join(dir, 'charms', 'wordpress', 'metadata.yaml'),
    'name: wordpress\nrequires:\n  db: mysql\n',
  );
  const bundle = join(dir, 'bundle.yaml');
  await writeFile(
    bundle,
    'applications:\n  wp: {charm: ch:wordpress, num_units: 1}\n  db: {charm: cs:precise/mysql-28, num_units: 1}\nrelations:\n- [wp:db, db:server]\n',
  );
  const args = ['bundle', 'validate', bundle, '--juju', '2.9', '--charms', join(dir, 'charms')];
  const result = await runCli(args);
  t.is(result.stdout, 'application "db" refers to non-existent charm "cs:precise/mysql-28"');
  t.is(result.exitCode, 1);
  await mkdir(join(dir, 'charms', 'mysql'));
  await writeFile(join(dir, 'charms', 'mysql', 'metadata.yaml'), '- not\n- a map\n');
  const broken = await runCli(args);
  t.is(broken.exitCode, 2);
  t.is(broken.stdout, '');
  t.regex(broken.stderr, /^error: .*charms\/mysql\/metadata\.yaml is a list, not a map; .*$/);
  const json = await runCli([...args, '--json']);
  t.is(json.exitCode, 2);
  const verdict = JSON.parse(json.stdout) as { valid: boolean; errors: string[] };
  t.false(verdict.valid);
  t.regex(verdict.errors[0]!, /mysql\/metadata\.yaml is a list, not a map/);
});

test("bundle validate --json answers for unreadable and unparsable files too: Juju's words, then the hint, exit 2", async (t) => {
  const broken = await tempFile('broken.yaml', 'applications:\n  a:\n    charm: "unterminated\n');
  const result = await runCli(['bundle', 'validate', broken, '--json']);
  t.is(result.exitCode, 2);
  const verdict = JSON.parse(result.stdout) as { valid: boolean; errors: string[] };
  t.false(verdict.valid);
  t.regex(
    verdict.errors[0]!,
    /^cannot unmarshal bundle contents: unmarshal document 0: yaml: line \d+: .* not valid$/,
  );
  t.regex(verdict.errors[1]!, /broken\.yaml:\d+:\d+: /);
  const empty = await tempFile('empty.yaml', '# nothing\n');
  const none = await runCli(['bundle', 'validate', empty, '--json']);
  t.is(JSON.parse(none.stdout).errors[0], 'malformed bundle: bundle is empty not valid');
  const missing = await runCli(['bundle', 'validate', '/nonexistent/bundle.yaml', '--json']);
  t.is(missing.exitCode, 2);
  t.regex(JSON.parse(missing.stdout).errors[0], /does not exist/);
});

test('a local charm in an --overlay file is found beside the overlay, as Juju resolves it, and read from there', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bundle-local-'));
  await mkdir(join(dir, 'extra', 'mine'), { recursive: true });
  await writeFile(join(dir, 'extra', 'mine', 'metadata.yaml'), 'name: mine\nrequires:\n  db: mysql-shared\n');
  const bundle = join(dir, 'bundle.yaml');
  await writeFile(bundle, 'applications:\n  a: {charm: ./charms/a-charm, num_units: 1}\n');
  const overlay = join(dir, 'extra', 'overlay.yaml');
  await writeFile(overlay, 'applications:\n  a:\n  m: {charm: ./mine, num_units: 1, options: {x: 1}}\n');
  await mkdir(join(dir, 'charms', 'a-charm'), { recursive: true });
  await writeFile(join(dir, 'charms', 'a-charm', 'metadata.yaml'), 'name: a-charm\n');
  const result = await runCli(['bundle', 'validate', bundle, '--overlay', overlay]);
  t.is(
    result.stdout,
    'cannot validate application "m": configuration option "x" not found in charm "' +
      join(dir, 'extra', 'mine') +
      '"',
  );
  t.is(result.exitCode, 1);
});
