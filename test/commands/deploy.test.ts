import test from 'ava';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ADMIN_PASSWORD,
  cli as spawnedCli,
  cliInProcess as cli,
  ledger,
  newSimLab,
  simFootprint,
} from '../pipeline/sim-lab.js';
import { Ledger } from '../../src/state/ledger.js';
import { acquireLabLock } from '../../src/state/lock.js';
import { pathExists } from '../../src/util/fs.js';

// deploy, teardown, plan and dry-run through the CLI's command line on the simulator, in this process
// (the lock case spawns the built CLI: the lock must name another process).

const CLEAN = { controllers: [], profiles: ['default'], containers: [] };

test('deploy --simulate runs every step, a second deploy only verifies, teardown leaves the simulator as it was', async (t) => {
  const lab = await newSimLab();
  const before = await simFootprint(lab);
  t.deepEqual(before, CLEAN);

  const first = await cli(lab, ['deploy', '--simulate']);
  t.is(first.exitCode, 0, first.stderr);
  t.regex(first.stdout, /^SIMULATION: /m);
  t.regex(first.stdout, /Controller lxdstack: bootstrapped on localhost/);
  t.regex(first.stdout, /Wait for readiness(: ready after| \[SKIPPED: every application is ready\])/);
  t.regex(first.stdout, /Configure the cloud .*\[SKIPPED: SIMULATION: no OpenStack endpoint is configured/);
  t.regex(first.stdout, /Dashboard: +http:\/\/\S+\/horizon/);
  t.regex(first.stdout, /Next:\n {2}lxdstack status --simulate/);
  const deployed = await simFootprint(lab);
  t.deepEqual(deployed.controllers, ['lxdstack']);
  t.true(deployed.profiles.includes('juju-openstack'));
  t.true(deployed.containers.length > 5);
  const state = await ledger(lab);
  t.deepEqual(
    state.resources.map((r) => `${r.kind}:${r.name}:${r.state}`),
    [
      // the simulated LXD's pool and bridges, created by prepare-lxd as a real host's would be
      'lxd-pool:default:created',
      'lxd-network:lxdbr0:created',
      'lxd-network:conjureup0:created',
      'controller:lxdstack:created',
      'model:lxdstack:openstack:created',
    ],
  );

  const again = await cli(lab, ['deploy']);
  t.is(again.exitCode, 0, again.stderr);
  for (const title of [
    'Controller lxdstack',
    'Model openstack and its LXD profile',
    'Deploy the bundle',
    'Wait for readiness',
  ]) {
    t.regex(
      again.stdout,
      new RegExp(`${title.replaceAll('(', '\\(').replaceAll(')', '\\)')} \\[SKIPPED: `),
      `${title} should be skipped on a finished lab`,
    );
  }
  t.regex(again.stdout, /Verify \(smoke tests\): \d+ passed/);

  const down = await cli(lab, ['teardown', '--yes']);
  t.is(down.exitCode, 0, down.stderr);
  t.regex(down.stdout, /SIMULATION: /);
  t.regex(down.stdout, /Teardown complete: nothing this lab created remains\./);
  t.deepEqual(await simFootprint(lab), CLEAN);
  t.deepEqual(
    (await ledger(lab)).resources.map((r) => r.state),
    ['removed', 'removed', 'removed', 'removed', 'removed'],
  );

  for (const output of [first, again, down])
    t.false(`${output.stdout}${output.stderr}`.includes(ADMIN_PASSWORD));
});

test('deploy --dry-run prints every step with its exact command and runs none', async (t) => {
  const lab = await newSimLab();
  const result = await cli(lab, ['deploy', '--simulate', '--dry-run']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /1\. Preflight \(doctor\)\n\s+\$ lxdstack doctor/);
  t.regex(result.stdout, /\$ juju bootstrap localhost lxdstack --no-default-model/);
  t.regex(result.stdout, /\$ juju add-model openstack --controller lxdstack/);
  t.regex(result.stdout, /\$ juju deploy -m lxdstack:openstack \S+bundle\.yaml/);
  t.false(result.stdout.includes(ADMIN_PASSWORD));
  t.deepEqual(await simFootprint(lab), CLEAN);
  await t.throwsAsync(access(join(lab.labDir, 'state.json')));
});

test('teardown without a terminal and without --yes refuses with exit 2 pointing to --yes', async (t) => {
  const lab = await newSimLab();
  // A lab with something recorded (a lab with nothing recorded has nothing to confirm).
  const recorded = await Ledger.open(lab.labDir, 'openstack-lab', 'deploy', true);
  await recorded.recordResource({ kind: 'controller', name: 'lxdstack' });
  const result = await cli(lab, ['teardown', '--simulate']);
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /Pass --yes to confirm/);
});

test('a second deploy of the same lab refuses with exit 4, naming the holder pid', async (t) => {
  const lab = await newSimLab();
  const lock = await acquireLabLock(lab.labDir, 'deploy');
  // The lock is this test's, so the deploy that finds it must be another process.
  const result = await spawnedCli(lab, ['deploy', '--simulate']);
  await lock.release();
  t.is(result.exitCode, 4);
  t.regex(
    result.stderr,
    new RegExp(`locked by another lxdstack: pid ${process.pid} running \`lxdstack deploy\` since `),
  );
});

test('plan renders the lab, validates it and lists the changes and the ordered steps', async (t) => {
  const lab = await newSimLab();
  const text = await cli(lab, ['plan']);
  t.is(text.exitCode, 0, text.stderr);
  t.regex(text.stdout, /Validation: ok/);
  t.regex(text.stdout, /Changes to deploy bundle \(\d+\):\n- upload charm /);
  t.regex(text.stdout, /- add relation /);
  t.regex(text.stdout, /5\. Deploy the bundle\n\s+\$ juju deploy -m lxdstack:openstack/);
  const json = await cli(lab, ['plan', '--json']);
  t.is(json.exitCode, 0, json.stderr);
  const plan = JSON.parse(json.stdout) as {
    valid: boolean;
    applications: string[];
    changes: string[];
    steps: { name: string }[];
    files: string[];
  };
  t.true(plan.valid);
  t.is(plan.applications.length, 15);
  t.true(plan.changes.some((c) => c.startsWith('deploy application keystone')));
  t.deepEqual(
    plan.steps.map((s) => s.name),
    ['preflight', 'prepare-lxd', 'controller', 'model', 'deploy', 'wait', 'expose', 'configure', 'verify'],
  );
  t.true(plan.files.some((f) => f.endsWith('bundle.yaml')));
  // plan lists the files deploy writes, and writes none of them
  t.true(plan.files.some((f) => f.endsWith('lxd-profile.yaml')));
  t.false(await pathExists(lab.labDir));
  t.false(json.stdout.includes(ADMIN_PASSWORD));
});

test('deploy --engine conjure-up runs the spell headless, records the model it creates, and teardown removes it', async (t) => {
  const lab = await newSimLab();
  const result = await cli(lab, ['deploy', '--simulate', '--engine', 'conjure-up']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(
    result.stdout,
    /Model openstack and its LXD profile \[SKIPPED: conjure-up adds the model itself, in the deploy step\]/,
  );
  t.regex(result.stdout, /Deploy the spell \(conjure-up, headless\): 15 applications/);
  t.deepEqual(
    (await ledger(lab)).resources.map((r) => `${r.kind}:${r.name}:${r.state}`),
    [
      // the simulated LXD's pool and bridges, created by prepare-lxd as a real host's would be
      'lxd-pool:default:created',
      'lxd-network:lxdbr0:created',
      'lxd-network:conjureup0:created',
      'controller:lxdstack:created',
      'model:lxdstack:openstack:created',
    ],
  );
  const down = await cli(lab, ['teardown', '--yes']);
  t.is(down.exitCode, 0, down.stderr);
  t.deepEqual(await simFootprint(lab), CLEAN);
});
