import test from 'ava';
import { chmod, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJujuClient } from '../../src/juju/client.js';
import { removeStaging, stagingRunner } from '../../src/juju/staging.js';
import { localRunner } from '../../src/util/runner.js';
import { isStrictSnap, snapHomeProblem, stagingDirectory } from '../../src/util/snap.js';

// Files a strictly confined juju can read: the snap's home-interface rules, and the runner that stages
// the bundle, overlays, settings and params files under the user's home.

test("the strict snap's rules: non-hidden files under home only; /tmp is its own", (t) => {
  const home = '/home/ada';
  t.is(snapHomeProblem('/home/ada/lxdstack-staging/lab/bundle.yaml', home), undefined);
  t.is(
    snapHomeProblem('/home/ada/.lxdstack/lab/bundle.yaml', home),
    '/home/ada/.lxdstack/lab/bundle.yaml is in the hidden folder .lxdstack of /home/ada, which a strictly confined snap cannot read',
  );
  t.regex(
    snapHomeProblem('/tmp/lxdstack-x/settings.yaml', home) ?? '',
    /is in \/tmp, which a strictly confined snap sees as its own private \/tmp/,
  );
  t.regex(snapHomeProblem('/srv/labs/bundle.yaml', home) ?? '', /is outside \/home\/ada/);
  t.is(
    stagingDirectory(home, 'lab', '/srv/a/.lxdstack/lab'),
    stagingDirectory(home, 'lab', '/srv/a/.lxdstack/lab'),
  );
  t.not(
    stagingDirectory(home, 'lab', '/srv/a/.lxdstack/lab'),
    stagingDirectory(home, 'lab', '/srv/b/.lxdstack/lab'),
  );
  t.is(snapHomeProblem(stagingDirectory(home, 'lab', '/srv/a'), home), undefined);
});

test('only a /snap/bin command can be a strict snap', async (t) => {
  t.false(await isStrictSnap('/usr/bin/juju'));
  t.false(await isStrictSnap(undefined));
});

test('the staging runner copies the bundle and overlays under home (modes kept) and stages private files there', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'lxdstack-staging-'));
  const home = join(root, 'home');
  const labDirectory = join(root, 'work', '.lxdstack', 'lab');
  await mkdir(join(labDirectory, 'overlays'), { recursive: true });
  await writeFile(join(labDirectory, 'bundle.yaml'), 'applications: {}\n', { mode: 0o600 });
  await writeFile(join(labDirectory, 'overlays', 'ceph-off.yaml'), 'applications: {}\n', { mode: 0o644 });
  const dir = stagingDirectory(home, 'lab', labDirectory);
  const runner = stagingRunner(localRunner, { dir, labDirectory });

  const bundle = await runner.stage(join(labDirectory, 'bundle.yaml'));
  const overlay = await runner.stage(join(labDirectory, 'overlays', 'ceph-off.yaml'));
  t.is(bundle, join(dir, 'bundle.yaml'));
  t.is(overlay, join(dir, 'overlays', 'ceph-off.yaml'));
  t.is((await stat(bundle)).mode & 0o777, 0o600, 'the bundle holds the admin password');
  t.is((await stat(overlay)).mode & 0o777, 0o644);
  t.is((await stat(dir)).mode & 0o777, 0o700);
  for (const path of [bundle, overlay]) t.is(snapHomeProblem(path, home), undefined);

  let seen = '';
  await runner.withPrivateFile('params.yaml', 'token: s.x\n', async (path) => {
    seen = path;
    t.true(path.startsWith(`${dir}/`));
    t.is((await stat(path)).mode & 0o777, 0o600);
    t.is(await readFile(path, 'utf8'), 'token: s.x\n');
  });
  await t.throwsAsync(stat(seen), { code: 'ENOENT' }, 'removed after use');

  await removeStaging(dir);
  await t.throwsAsync(stat(dir), { code: 'ENOENT' });
});

test('juju deploy and juju config --file get the staged paths', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'lxdstack-staging-'));
  const home = join(root, 'home');
  const labDirectory = join(root, 'work', '.lxdstack', 'lab');
  await mkdir(labDirectory, { recursive: true });
  await writeFile(join(labDirectory, 'bundle.yaml'), 'applications: {}\n', { mode: 0o600 });
  const record = join(root, 'argv.log');
  const juju = join(root, 'juju');
  // a stand-in juju that, like the strict snap, reads every file it is given, and records its argv
  await writeFile(
    juju,
    `#!/usr/bin/env node
const fs = require('node:fs');
const argv = process.argv.slice(2);
for (const flag of ['--file', '--overlay']) { const i = argv.indexOf(flag); if (i >= 0) fs.readFileSync(argv[i + 1]); }
if (argv[0] === 'deploy') fs.readFileSync(argv[3]);
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify(argv) + '\\n');
`,
  );
  await chmod(juju, 0o755);
  const dir = stagingDirectory(home, 'lab', labDirectory);
  const client = createJujuClient({
    executable: juju,
    flavour: '3',
    env: process.env,
    runner: stagingRunner(localRunner, { dir, labDirectory }),
  });
  await client.deploy({ model: 'lab:openstack', bundlePath: join(labDirectory, 'bundle.yaml') });
  await client.setConfig({
    model: 'lab:openstack',
    application: 'keystone',
    values: { 'admin-password': 'pw-secret' },
  });
  const calls = (await readFile(record, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);
  t.is(calls[0]![3], join(dir, 'bundle.yaml'));
  const settings = calls[1]![calls[1]!.indexOf('--file') + 1]!;
  t.true(settings.startsWith(`${dir}/`));
  t.false(calls[1]!.join(' ').includes('pw-secret'));
  for (const path of [calls[0]![3]!, settings]) t.is(snapHomeProblem(path, home), undefined);
});
