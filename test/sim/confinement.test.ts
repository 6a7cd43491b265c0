import test from 'ava';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapAccess } from '../../src/sim/confinement.js';
import { runSimJuju } from '../../src/sim/juju/dispatch.js';

// The simulated juju 3.x reads files as the strictly confined snap does: non-hidden files under home only,
// and the host's /tmp is not its /tmp. Staging mistakes fail here as they would on a real host.

test('what the strict snap may read: home but not its hidden folders; /tmp is absent; elsewhere denied', (t) => {
  const home = '/home/ann';
  t.is(snapAccess('/home/ann/lxdstack/lab/bundle.yaml', home, 'strict'), 'readable');
  t.is(snapAccess('/home/ann/.lxdstack/lab/bundle.yaml', home, 'strict'), 'denied');
  t.is(snapAccess('/home/ann/lab/.cache/params.yaml', home, 'strict'), 'denied');
  t.is(snapAccess('/tmp/lab/bundle.yaml', home, 'strict'), 'absent');
  t.is(snapAccess('/srv/labs/bundle.yaml', home, 'strict'), 'denied');
  t.is(snapAccess('/home/bob/bundle.yaml', home, 'strict'), 'denied');
  t.is(snapAccess('/tmp/home-in-tmp/lab/bundle.yaml', '/tmp/home-in-tmp', 'strict'), 'readable');
  t.is(snapAccess('/home/ann/.lxdstack/lab/bundle.yaml', home, 'classic'), 'readable');
});

const BUNDLE = 'applications:\n  ubuntu: {charm: ubuntu, num_units: 1}\n';

async function simulator(version: string, extra: Record<string, string> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'lxdstack-confined-'));
  const home = join(root, 'home');
  const env = {
    HOME: home,
    LXDSTACK_SIM_DIR: join(root, 'state'),
    LXDSTACK_SIM_JUJU_VERSION: version,
    LXDSTACK_SIM_SPEED: '0',
    ...extra,
  };
  const juju = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runSimJuju(argv, env, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  };
  const file = async (path: string, text: string) => {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    return path;
  };
  await juju('bootstrap', 'localhost', 'lab');
  await juju('add-model', 'm');
  return { root, home, juju, file };
}

test('juju 3.x refuses a bundle in a hidden folder of home, outside home or in /tmp; a staged one deploys', async (t) => {
  const sim = await simulator('3.6.1');
  const hidden = await sim.file(join(sim.home, '.lxdstack', 'lab', 'bundle.yaml'), BUNDLE);
  t.deepEqual(await sim.juju('deploy', hidden), {
    code: 1,
    stdout: '',
    stderr: `ERROR open ${hidden}: permission denied\n`,
  });
  const inTmp = await sim.file(join(sim.root, 'bundle.yaml'), BUNDLE);
  t.is((await sim.juju('deploy', inTmp)).stderr, `ERROR no charm was found at "${inTmp}"\n`);
  const staged = await sim.file(join(sim.home, 'lxdstack', 'lab', 'bundle.yaml'), BUNDLE);
  const overlay = await sim.file(join(sim.home, '.lxdstack', 'lab', 'overlay.yaml'), 'applications: {}\n');
  t.is(
    (await sim.juju('deploy', staged, '--overlay', overlay)).stderr,
    `ERROR open ${overlay}: permission denied\n`,
  );
  const deployed = await sim.juju('deploy', staged);
  t.is(deployed.code, 0, deployed.stderr);
  const settings = await sim.file(join(sim.root, 'settings.yaml'), 'ubuntu: {hostname: x}\n');
  t.is(
    (await sim.juju('config', 'ubuntu', '--file', settings)).stderr,
    `ERROR open ${settings}: no such file or directory\n`,
  );
  const params = await sim.file(join(sim.home, '.lxdstack', 'params.yaml'), 'token: x\n');
  t.is(
    (await sim.juju('run', 'ubuntu/0', 'hello', '--params', params)).stderr,
    `ERROR open ${params}: permission denied\n`,
  );
});

test('juju 2.9 is a classic snap and reads anything; LXDSTACK_SIM_CONFINEMENT chooses explicitly', async (t) => {
  const old = await simulator('2.9.46');
  const hidden = await old.file(join(old.home, '.lxdstack', 'bundle.yaml'), 'series: jammy\n' + BUNDLE);
  t.is((await old.juju('deploy', hidden)).code, 0);
  const classic = await simulator('3.6.1', { LXDSTACK_SIM_CONFINEMENT: 'classic' });
  const inTmp = await classic.file(join(classic.root, 'bundle.yaml'), BUNDLE);
  t.is((await classic.juju('deploy', inTmp)).code, 0);
  const strictOld = await simulator('2.9.46', { LXDSTACK_SIM_CONFINEMENT: 'strict' });
  const tmpBundle = await strictOld.file(join(strictOld.root, 'bundle.yaml'), 'series: jammy\n' + BUNDLE);
  t.is((await strictOld.juju('deploy', tmpBundle)).code, 1);
  const wrong = await simulator('3.6.1', { LXDSTACK_SIM_CONFINEMENT: 'loose' });
  t.is(
    (await wrong.juju('status')).stderr,
    'ERROR LXDSTACK_SIM_CONFINEMENT must be "strict" or "classic", got "loose"\n',
  );
});
