import test from 'ava';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJujuClient } from '../../src/juju/client.js';
import { simulatorEnv } from '../../src/sim/env.js';
import { renderLabYaml } from '../../src/lab/labfile.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { labStateDir } from '../../src/util/paths.js';
import { runCliInProcess as runCli } from '../helpers/cli.js';
import { simulatorRunner } from '../helpers/sim-runner.js';
import { FIXTURES } from './sim-lab.js';

const TUTORIAL_APPS = [
  'ceph-mon',
  'ceph-osd',
  'ceph-radosgw',
  'glance',
  'keystone',
  'lxd',
  'mysql',
  'neutron-api',
  'neutron-gateway',
  'neutron-openvswitch',
  'nova-cloud-controller',
  'nova-compute',
  'ntp',
  'openstack-dashboard',
  'rabbitmq-server',
];

/** The 2016 tutorial bundle (services:, cs: charms: juju 2.9 only) deployed into a simulator folder. */
async function deployTutorial(simDir: string, faults?: object): Promise<NodeJS.ProcessEnv> {
  await mkdir(simDir, { recursive: true });
  if (faults) await writeFile(join(simDir, 'faults.json'), JSON.stringify(faults));
  const env = { ...simulatorEnv(simDir), LXDSTACK_SIM_JUJU_VERSION: '2.9.46', LXDSTACK_SIM_SPEED: '0' };
  const client = createJujuClient({ env, runner: simulatorRunner });
  await client.bootstrap({ cloud: 'localhost', controller: 'lxdstack' });
  await client.addModel({ controller: 'lxdstack', model: 'openstack' });
  await client.deploy({ model: 'lxdstack:openstack', bundlePath: join(FIXTURES, 'tutorial') });
  return env;
}

test('status --json on the simulated tutorial model lists its 15 applications with their units', async (t) => {
  const simDir = await mkdtemp(join(tmpdir(), 'lxdstack-status-'));
  const env = await deployTutorial(simDir);
  const result = await runCli(['status', '--json', '--model', 'lxdstack:openstack'], { env });
  t.is(result.exitCode, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    model: string;
    ready: boolean;
    applications: Record<string, { charm: string; units: number; ready: number; errors: string[] }>;
    machines: number;
    blocking: string[];
  };
  t.is(report.model, 'lxdstack:openstack');
  t.deepEqual(Object.keys(report.applications), TUTORIAL_APPS);
  t.deepEqual(report.applications['ceph-osd'], {
    charm: 'ceph-osd',
    units: 3,
    ready: 3,
    errors: [],
    // the 2016 ceph-osd (Jewel) makes a directory OSD from /srv/osd and counts it
    message: 'Unit is ready (1 OSD)',
  });
  t.is(report.applications.mysql!.charm, 'percona-cluster');
  // Subordinates count through their principals: one per nova-compute unit, none for ntp (nothing relates to it).
  t.is(report.applications['neutron-openvswitch']!.units, 1);
  t.is(report.applications.lxd!.units, 1);
  t.is(report.applications.ntp!.units, 0);
  t.is(report.machines, 16);
  t.true(report.ready);
  t.deepEqual(report.blocking, []);
});

test('status of a lab: the lab model by default, labelled as a simulation, with what blocks readiness', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-status-lab-'));
  const spec = defaultSpec('tutorial-2016');
  await writeFile(join(cwd, 'lab.yaml'), renderLabYaml(spec));
  await deployTutorial(join(labStateDir(join(cwd, 'lab.yaml'), spec.name), 'sim'), {
    unitErrors: [{ unit: 'keystone/0' }],
  });
  // settled at once: at the default pace whether keystone's install has failed yet depends on how soon status runs
  const result = await runCli(['status', '--simulate'], {
    cwd,
    env: { PATH: process.env.PATH, LXDSTACK_SIM_SPEED: '0' },
  });
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /^SIMULATION: /);
  t.regex(result.stdout, /Model lxdstack:openstack: not ready/);
  t.regex(result.stdout, /keystone +keystone +0\/1 +keystone\/0 +hook failed: "install"/);
  t.regex(result.stdout, /Blocking readiness:\n {2}- keystone\/0 is in error: hook failed: "install"/);
});

test('status rejects a model that is not CONTROLLER:MODEL with exit 2', async (t) => {
  const result = await runCli(['status', '--model', 'openstack'], { env: { PATH: process.env.PATH } });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /--model openstack: use CONTROLLER:MODEL/);
});

test('status of a simulated lab never deployed says to deploy it first', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-status-empty-'));
  await writeFile(join(cwd, 'lab.yaml'), renderLabYaml(defaultSpec('modern')));
  const result = await runCli(['status', '--simulate', '--json'], { cwd, env: { PATH: process.env.PATH } });
  t.is(result.exitCode, 1);
  t.regex(
    result.stderr,
    /The simulated lab has no model lxdstack:openstack \(controller lxdstack not found\): run `lxdstack deploy --simulate` first\./,
  );
  // with --json the error is the one document on stdout
  t.like(JSON.parse(result.stdout), { error: { code: 'failure', exitCode: 1 } });
});
