import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimJuju } from '../../src/sim/juju/dispatch.js';
import { readSimState } from '../../src/sim/state.js';

// The juju simulator in-process: outputs, ERROR lines and exit codes of juju-spec.md §4.

const FIXTURES = new URL('../fixtures/juju/', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function simulator(version = '3.6.1') {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-simtest-'));
  // these tests read bundles from the fixtures and /tmp: juju's file access as a snap is tested in confinement.test.ts
  const env = {
    LXDSTACK_SIM_DIR: dir,
    LXDSTACK_SIM_JUJU_VERSION: version,
    LXDSTACK_SIM_SPEED: '0',
    LXDSTACK_SIM_CONFINEMENT: 'classic',
  };
  const juju = async (...argv: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await runSimJuju(argv, env, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  };
  return { dir, env, juju };
}

test('version, unknown commands and flags, no controller: juju text and exit codes', async (t) => {
  const three = await simulator('3.6.1');
  t.is((await three.juju('version')).stdout, '3.6.1-genericlinux-amd64\n');
  t.deepEqual(await three.juju('frobnicate'), {
    code: 2,
    stdout: '',
    stderr: 'unrecognized command: juju frobnicate\n',
  });
  const badFlag = await three.juju('status', '--frob');
  t.is(badFlag.code, 2);
  t.is(badFlag.stderr, 'ERROR option provided but not defined: --frob\n');
  const none = await three.juju('controllers', '--format', 'json');
  t.is(none.code, 1);
  t.regex(
    none.stderr,
    /^ERROR No controllers registered\.\n\nPlease either create a new controller using "juju bootstrap"/,
  );
  const old = await simulator('2.9.46');
  t.is((await old.juju('version')).stdout, '2.9.46-ubuntu-amd64\n');
});

test('bootstrap: 2.9 adds a "default" model, 3.x none; names are unique; LXD facts follow', async (t) => {
  const old = await simulator('2.9.46');
  t.is((await old.juju('bootstrap', 'localhost', 'lab')).code, 0);
  const models = JSON.parse((await old.juju('models', '--format', 'json')).stdout) as {
    models: { 'short-name': string }[];
  };
  t.deepEqual(
    models.models.map((m) => m['short-name']),
    ['controller', 'default'],
  );
  const again = await old.juju('bootstrap', 'localhost', 'lab');
  t.deepEqual([again.code, again.stderr], [1, 'ERROR controller "lab" already exists\n']);
  t.is(
    (await old.juju('bootstrap', 'localhost', 'b', '--bootstrap-base', 'ubuntu@22.04')).code,
    2,
    '2.9 has no --bootstrap-base',
  );

  const three = await simulator('3.6.1');
  const boot = await three.juju('bootstrap', 'localhost', 'lab');
  t.regex(boot.stderr, /Bootstrap complete, controller "lab" is now available/);
  const state = await readSimState(three.dir);
  t.deepEqual(Object.keys(state.controllers.lab!.models), ['controller']);
  t.true(state.lxd.profiles.includes('juju-controller'));
  t.is(state.lxd.containers.length, 1);
  const unknownCloud = await three.juju('bootstrap', 'aws', 'x');
  t.is(unknownCloud.stderr, 'ERROR unknown cloud "aws", please try "juju update-public-clouds"\n');
});

test("deploy: 3.x refuses the 2.9-only bundle form with juju's verification message", async (t) => {
  const three = await simulator('3.6.1');
  await three.juju('bootstrap', 'localhost', 'lab');
  await three.juju('add-model', 'm');
  const result = await three.juju('deploy', join(FIXTURES, 'tutorial'));
  t.is(result.code, 1);
  // `services:` is an unknown key in 3.x, so the bundle has no applications (and its relations name none).
  t.regex(result.stderr, /^ERROR cannot deploy bundle: the provided bundle has the following errors:\n/);
  t.regex(result.stderr, /\nat least one application must be specified\n/);
  const missing = await three.juju('deploy', './nope.yaml');
  t.is(missing.stderr, 'ERROR no charm was found at "./nope.yaml"\n');
});

test('deploy: overlays remove and add, dry-run changes nothing, a second deploy has no changes', async (t) => {
  const sim = await simulator('3.6.1');
  await sim.juju('bootstrap', 'localhost', 'lab');
  await sim.juju('add-model', 'm');
  const overlay = join(sim.dir, 'overlay.yaml');
  await writeFile(
    overlay,
    'applications:\n  nrpe:\n  haproxy:\n    charm: haproxy\n    num_units: 1\nrelations:\n  - [haproxy:reverseproxy, wordpress:website]\n',
  );
  const bundle = join(FIXTURES, 'two-apps.yaml');
  const dry = await sim.juju('deploy', bundle, '--overlay', overlay, '--dry-run');
  t.regex(dry.stdout, /^Changes to deploy bundle:\n- upload charm haproxy/);
  t.deepEqual(Object.keys((await readSimState(sim.dir)).controllers.lab!.models.m!.applications), []);
  const real = await sim.juju('deploy', bundle, '--overlay', overlay);
  t.is(real.code, 0, real.stderr);
  t.regex(real.stdout, /^Executing changes:\n/);
  t.notRegex(real.stdout, /nrpe/, 'the overlay removed nrpe and its relation');
  t.regex(real.stdout, /- add relation haproxy:reverseproxy - wordpress:website\n/);
  const apps = (await readSimState(sim.dir)).controllers.lab!.models.m!.applications;
  t.deepEqual(Object.keys(apps).sort(), ['haproxy', 'mysql', 'wordpress']);
  const again = await sim.juju('deploy', bundle, '--overlay', overlay);
  t.is(again.stdout, 'No changes to apply.\n');
  t.is((await sim.juju('diff-bundle', bundle, '--overlay', overlay)).stdout, '{}\n');
});

test("2.9 rewrites lxc placements to lxd with juju's notice; 3.x fails on them", async (t) => {
  const bundle =
    'applications:\n  a:\n    charm: ubuntu\n    num_units: 1\n    to: ["lxc:0"]\nmachines:\n  "0": {}\n';
  for (const [version, code, text] of [
    ['2.9.46', 0, /lxc containers are deprecated in Juju 2.0. lxd containers will be deployed instead./],
    [
      '3.6.1',
      1,
      /ERROR cannot deploy bundle: cannot create machine for holding a unit: invalid container type "lxc"/,
    ],
  ] as const) {
    const sim = await simulator(version);
    await sim.juju('bootstrap', 'localhost', 'lab');
    await sim.juju('add-model', 'm');
    const path = join(sim.dir, 'b.yaml');
    await writeFile(path, bundle);
    const result = await sim.juju('deploy', path);
    t.is(result.code, code, version);
    t.regex(result.stderr, text);
  }
});

test('destroy-model asks for the model name unless told not to; the prompt flag follows the flavour', async (t) => {
  const sim = await simulator('2.9.46');
  await sim.juju('bootstrap', 'localhost', 'lab');
  await sim.juju('add-model', 'm');
  const asked = await sim.juju('destroy-model', 'lab:m');
  t.is(asked.code, 1);
  t.is(
    asked.stderr,
    '\nTo continue, enter the name of the model to be destroyed: ERROR model destruction: aborted\n',
  );
  t.is((await sim.juju('destroy-model', 'lab:m', '--no-prompt')).code, 2, '2.9 has -y, not --no-prompt');
  t.is(
    (await sim.juju('destroy-model', 'lab:m', '--no-wait', '-y')).stderr,
    'ERROR --no-wait without --force not valid\n',
  );
  t.is(
    (await sim.juju('destroy-model', 'lab:controller', '-y')).stderr,
    `ERROR "controller" is a controller; use 'juju destroy-controller' to destroy it\n`,
  );
  const done = await sim.juju('destroy-model', 'lab:m', '-y');
  t.is(done.code, 0);
  t.regex(done.stderr, /Destroying model\n[\s\S]*Model destroyed\.\n$/);
});

test('units, actions, config, logs and controllers through the command line', async (t) => {
  const sim = await simulator('3.6.1');
  await sim.juju('bootstrap', 'localhost', 'lab');
  await sim.juju('add-model', 'm');
  await sim.juju('deploy', join(FIXTURES, 'two-apps.yaml'));
  t.is((await sim.juju('add-unit', 'wordpress', '-n', '2')).code, 0);
  let state = await readSimState(sim.dir);
  t.deepEqual(Object.keys(state.controllers.lab!.models.m!.applications.wordpress!.units).sort(), [
    'wordpress/0',
    'wordpress/1',
    'wordpress/2',
    'wordpress/3',
  ]);
  t.is(
    Object.keys(state.controllers.lab!.models.m!.applications.nrpe!.units).length,
    4,
    'subordinates follow new principals',
  );
  t.is(
    (await sim.juju('remove-unit', 'wordpress/3', '--no-prompt')).stdout,
    'will remove unit wordpress/3\n',
  );
  state = await readSimState(sim.dir);
  t.is(Object.keys(state.controllers.lab!.models.m!.applications.nrpe!.units).length, 3);

  const action = JSON.parse(
    (await sim.juju('run', 'mysql/leader', 'backup', '--format', 'json')).stdout,
  ) as Record<string, { status: string; id: string }>;
  t.is(action['mysql/0']!.status, 'completed');
  const second = JSON.parse(
    (await sim.juju('run', 'mysql/0', 'backup', '--format', 'json')).stdout,
  ) as Record<string, { id: string }>;
  t.is(Number(second['mysql/0']!.id), Number(action['mysql/0']!.id) + 1, 'task ids increase');
  const exec = JSON.parse(
    (await sim.juju('exec', '--format', 'json', '--unit', 'mysql/0', '--', 'hostname')).stdout,
  ) as Record<string, { results: { stdout: string } }>;
  t.is(exec['mysql/0']!.results.stdout, 'simulated: hostname\n');

  await sim.juju('config', 'mysql', 'max-connections=500');
  t.is((await sim.juju('config', 'mysql', 'max-connections')).stdout, '500\n');
  t.is(
    (await sim.juju('config', 'mysql', 'nope')).stderr,
    'ERROR key "nope" not found in "mysql" application config or charm settings.\n',
  );

  const log = await sim.juju('debug-log', '--no-tail', '--lines', '5', '--include', 'mysql/0');
  t.true(
    log.stdout
      .split('\n')
      .filter(Boolean)
      .every((line) => line.startsWith('unit-mysql-0: ')),
  );
  t.regex((await sim.juju('export-bundle')).stdout, /wordpress:\n {4}charm: wordpress\n {4}num_units: 3/);
  t.regex(
    (await sim.juju('status')).stdout,
    /^Model +Controller[\s\S]*Unit +Workload[\s\S]*mysql\/0\* +active +idle +0\/lxd\/0/m,
  );

  const refused = await sim.juju('destroy-controller', 'lab', '--no-prompt');
  t.regex(refused.stderr, /^ERROR cannot destroy controller "lab"\n\nThe controller has live models/);
  t.is((await sim.juju('destroy-controller', 'lab', '--no-prompt', '--destroy-all-models')).code, 0);
  state = await readSimState(sim.dir);
  t.deepEqual(state.lxd, { profiles: ['default'], containers: [] }, 'LXD is back to how it started');
});

test('kill-controller removes the controller and everything it made', async (t) => {
  const sim = await simulator('2.9.46');
  const before = await readSimState(sim.dir);
  await sim.juju('bootstrap', 'localhost', 'lab', '--no-default-model');
  await sim.juju('add-model', 'm');
  await sim.juju('deploy', join(FIXTURES, 'tutorial'));
  const killed = await sim.juju('kill-controller', 'lab', '-y', '-t', '0');
  t.is(killed.code, 0, killed.stderr);
  t.deepEqual((await readSimState(sim.dir)).lxd, before.lxd);
});

test('fault: a named command fails once with its ERROR line and exit code, then succeeds', async (t) => {
  const sim = await simulator('3.6.1');
  await sim.juju('bootstrap', 'localhost', 'lab');
  await sim.juju('add-model', 'm');
  await writeFile(
    join(sim.dir, 'faults.json'),
    JSON.stringify({
      failOnce: [
        { command: 'deploy', message: 'cannot deploy bundle: connection is shut down', exitCode: 1 },
      ],
    }),
  );
  const bundle = join(FIXTURES, 'two-apps.yaml');
  const first = await sim.juju('deploy', bundle);
  t.deepEqual([first.code, first.stderr], [1, 'ERROR cannot deploy bundle: connection is shut down\n']);
  t.deepEqual(Object.keys((await readSimState(sim.dir)).controllers.lab!.models.m!.applications), []);
  const second = await sim.juju('deploy', bundle);
  t.is(second.code, 0, second.stderr);
  t.is((await sim.juju('deploy', bundle)).stdout, 'No changes to apply.\n');
});
