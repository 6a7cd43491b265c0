import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simCloudsVariable } from '../../src/sim/clouds.js';
import { formatConstraints, formatHardware } from '../../src/sim/constraints.js';
import { runSimJuju } from '../../src/sim/juju/dispatch.js';
import { readSimState } from '../../src/sim/state.js';

// The simulator on a MAAS cloud: bundle machines with constraints, units on the placed machines, LXD
// containers as N/lxd/M, and `juju add-unit` with the application's constraints.

async function simulator(extra: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-simtest-'));
  const env = {
    LXDSTACK_SIM_DIR: dir,
    LXDSTACK_SIM_JUJU_VERSION: '3.6.1',
    LXDSTACK_SIM_SPEED: '0',
    // the strictly confined 3.x juju reads the bundle because it sits in its home
    HOME: dir,
    ...simCloudsVariable({ kind: 'maas', cloud: 'maas-lab' }),
    ...extra,
  };
  const juju = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runSimJuju(argv, env, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  };
  return { dir, juju };
}

const BUNDLE = `default-base: ubuntu@22.04
applications:
  keystone: {charm: keystone, num_units: 1, to: ["lxd:0"]}
  ceph-mon: {charm: ceph-mon, num_units: 2, to: ["lxd:0", "lxd:0"]}
  nova-compute:
    charm: nova-compute
    num_units: 2
    constraints: cores=8 mem=32G tags=compute
    to: ["1", "2"]
machines:
  "0": {constraints: cores=4 mem=16G}
  "1": {constraints: cores=8 mem=32G tags=compute zones=az2}
  "2": {constraints: cores=8 mem=32G tags=compute}
`;

interface Status {
  model: { cloud: string; region: string };
  machines: Record<
    string,
    { constraints?: string; hardware: string; containers?: Record<string, { hardware: string }> }
  >;
  applications: Record<string, { units: Record<string, { machine: string }> }>;
}

test('constraints and hardware read the way Juju prints them', (t) => {
  t.is(
    formatConstraints('mem=32G cores=8 root-disk=1.5T tags=a,b'),
    'arch=amd64 cores=8 mem=32768M root-disk=1572864M tags=a,b',
  );
  t.is(formatConstraints('arch=arm64 cpu-cores=2 zones=z1'), 'arch=arm64 cores=2 zones=z1');
  t.is(
    formatHardware('cores=8 mem=32G tags=compute,^slow zones=az2', 'maas', false),
    'arch=amd64 cores=8 mem=32768M tags=compute availability-zone=az2',
  );
  t.is(formatHardware(undefined, 'maas', false), 'arch=amd64 cores=4 mem=8192M availability-zone=default');
  t.is(formatHardware('cores=8', 'lxd', false), 'arch=amd64 cores=0 mem=0M virt-type=container');
});

test('a bundle with machines deploys onto them on a MAAS cloud; add-unit gets the application constraints', async (t) => {
  const sim = await simulator();
  const boot = await sim.juju('bootstrap', 'maas-lab', 'lab');
  t.is(boot.code, 0, boot.stderr);
  t.regex(boot.stderr, /Creating Juju controller "lab" on maas-lab\/default/);
  t.is((await sim.juju('add-model', 'os', 'maas-lab')).code, 0);
  const path = join(sim.dir, 'bundle.yaml');
  await writeFile(path, BUNDLE);
  const deploy = await sim.juju('deploy', path);
  t.is(deploy.code, 0, deploy.stderr);
  t.regex(
    deploy.stdout,
    /- add lxd container 0\/lxd\/0 on new machine 0\n- add unit ceph-mon\/0 to 0\/lxd\/0\n/,
  );
  t.regex(deploy.stdout, /- add unit nova-compute\/1 to new machine 2\n/);

  const status = JSON.parse((await sim.juju('status', '--format', 'json')).stdout) as Status;
  t.deepEqual([status.model.cloud, status.model.region], ['maas-lab', 'default']);
  t.deepEqual(Object.keys(status.machines), ['0', '1', '2']);
  t.is(status.machines['1']!.constraints, 'arch=amd64 cores=8 mem=32768M tags=compute zones=az2');
  t.is(status.machines['1']!.hardware, 'arch=amd64 cores=8 mem=32768M tags=compute availability-zone=az2');
  t.deepEqual(Object.keys(status.machines['0']!.containers ?? {}), ['0/lxd/0', '0/lxd/1', '0/lxd/2']);
  t.deepEqual(
    Object.values(status.applications['nova-compute']!.units).map((u) => u.machine),
    ['1', '2'],
  );
  t.deepEqual(
    Object.values(status.applications['ceph-mon']!.units).map((u) => u.machine),
    ['0/lxd/0', '0/lxd/1'],
  );

  t.is((await sim.juju('add-unit', 'nova-compute', '-n', '2')).code, 0);
  const grown = JSON.parse((await sim.juju('status', '--format', 'json')).stdout) as Status;
  t.is(grown.machines['4']!.constraints, 'arch=amd64 cores=8 mem=32768M tags=compute');
  t.is(grown.machines['4']!.hardware, 'arch=amd64 cores=8 mem=32768M tags=compute availability-zone=default');
  const exported = (await sim.juju('export-bundle')).stdout;
  t.regex(
    exported,
    /nova-compute:\n {4}charm: nova-compute\n {4}constraints: arch=amd64 cores=8 mem=32768M tags=compute\n/,
  );

  const state = await readSimState(sim.dir);
  t.deepEqual(state.lxd, { profiles: ['default'], containers: [] }, "a MAAS model is not in this host's LXD");
});

test('a cloud the client does not know is refused as juju does', async (t) => {
  const sim = await simulator({ LXDSTACK_SIM_CLOUDS: '' });
  t.deepEqual(await sim.juju('bootstrap', 'maas-lab', 'lab'), {
    code: 1,
    stdout: '',
    stderr: 'ERROR unknown cloud "maas-lab", please try "juju update-public-clouds"\n',
  });
  const bad = await simulator({ LXDSTACK_SIM_CLOUDS: 'maas-lab=openstack' });
  t.regex(
    (await bad.juju('bootstrap', 'maas-lab', 'lab')).stderr,
    /LXDSTACK_SIM_CLOUDS: "maas-lab=openstack" is not name=type/,
  );
});
