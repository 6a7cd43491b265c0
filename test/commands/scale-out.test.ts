import test from 'ava';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { readSimState } from '../../src/sim/state.js';
import { cliInProcess as cli, newSimLab, simFootprint, type SimLab } from '../pipeline/sim-lab.js';

// A lab on a MAAS cloud through the CLI's command line (in this process) and the simulator: plan
// shows the machines, deploy puts each nova-compute unit on its own constrained machine, scale adds
// machines like them and removes the newest units, teardown leaves nothing behind.

const LAB = `name: maas-lab
profile: modern
adminPassword: Sekrit-Admin-Pw-42
target:
  kind: maas
  cloud: maas-lab
sizing:
  computeUnits: 2
machines:
  control:
    count: 3
  compute:
    constraints: cores=8 mem=32G tags=compute
`;
const COMPUTE = 'arch=amd64 cores=8 mem=32768M tags=compute';

async function maasLab(labYaml = LAB): Promise<SimLab> {
  // Slow enough that the readiness waits really wait. The simulator learns the MAAS cloud from the
  // lab itself (no LXDSTACK_SIM_CLOUDS here).
  return newSimLab({ LXDSTACK_SIM_SPEED: '300' }, { yaml: labYaml, name: 'maas-lab' });
}

interface StatusJson {
  ready: boolean;
  placement: Record<string, { units: string[]; constraints?: string; hardware?: string }>;
}

async function computePlacement(lab: SimLab) {
  const result = await cli(lab, ['status', '--json']);
  const status = JSON.parse(result.stdout) as StatusJson;
  const hosts = Object.entries(status.placement).filter(([, m]) =>
    m.units.some((u) => u.startsWith('nova-compute/')),
  );
  return { ready: status.ready, hosts };
}

test('a maas lab: plan shows the machines, deploy spreads compute units, scale goes up and down, teardown is clean', async (t) => {
  const lab = await maasLab();
  const plan = await cli(lab, ['plan']);
  t.is(plan.exitCode, 0, plan.stderr);
  t.regex(plan.stdout, /Machines on the maas cloud maas-lab \(8, from machines: in the lab answers\):/);
  t.regex(plan.stdout, /\n {2}3 {2}compute {2}cores=8 mem=32G tags=compute {2}-> {2}nova-compute\/0\n/);
  t.regex(plan.stdout, /\n {2}4 {2}compute {2}cores=8 mem=32G tags=compute {2}-> {2}nova-compute\/1\n/);
  t.regex(plan.stdout, /- add lxd container 0\/lxd\/0 on new machine 0/);

  const deploy = await cli(lab, ['deploy', '--simulate']);
  t.is(deploy.exitCode, 0, deploy.stderr);
  t.regex(deploy.stdout, /Controller lxdstack: bootstrapped on maas-lab/);
  const deployed = await computePlacement(lab);
  t.true(deployed.ready);
  t.deepEqual(
    deployed.hosts.map(([id, m]) => [id, m.units, m.constraints]),
    [
      ['3', ['nova-compute/0'], COMPUTE],
      ['4', ['nova-compute/1'], COMPUTE],
    ],
  );
  t.regex(deployed.hosts[0]![1].hardware!, /^arch=amd64 cores=8 mem=32768M tags=compute availability-zone=/);

  const up = await cli(lab, ['scale', 'compute=4']);
  t.is(up.exitCode, 0, up.stderr);
  t.regex(up.stdout, /Scale nova-compute to 4 units: added 2/);
  // at the simulator's settle-at-once pace the new units may already be ready when the step looks
  t.regex(up.stdout, /(✔ Wait for readiness|↓ Wait for readiness \[SKIPPED: every application is ready\])/);
  t.regex(up.stdout, /nova-compute has 4 units and the model is ready\./);
  const grown = await computePlacement(lab);
  t.true(grown.ready);
  t.is(new Set(grown.hosts.map(([id]) => id)).size, 4, 'every compute unit on its own machine');
  t.true(grown.hosts.every(([, m]) => m.units.length === 1 && m.constraints === COMPUTE));

  const down = await cli(lab, ['scale', 'compute=1']);
  t.is(down.exitCode, 0, down.stderr);
  t.regex(down.stdout, /removed nova-compute\/3, nova-compute\/2, nova-compute\/1/);
  t.deepEqual(
    (await computePlacement(lab)).hosts.map(([id, m]) => [id, m.units]),
    [['3', ['nova-compute/0']]],
  );

  const teardown = await cli(lab, ['teardown', '--yes']);
  t.is(teardown.exitCode, 0, teardown.stderr);
  t.deepEqual(await simFootprint(lab), { controllers: [], profiles: ['default'], containers: [] });
  t.deepEqual((await readSimState(lab.simDir)).controllers, {});
});

test('bad machines in the answers: one line naming the field, exit 2, nothing written', async (t) => {
  const lab = await maasLab(LAB.replace('cores=8 mem=32G', 'cores=8 memory=32G'));
  const result = await cli(lab, ['plan']);
  t.is(result.exitCode, 2);
  t.regex(
    result.stderr,
    /machines\.compute\.constraints: unknown constraint "memory" in "cores=8 memory=32G tags=compute"; write Juju constraints such as/,
  );
  await t.throwsAsync(access(join(lab.cwd, '.lxdstack')), { code: 'ENOENT' });

  const local = await maasLab(LAB.replace('kind: maas', 'kind: localhost'));
  const refused = await cli(local, ['deploy', '--simulate']);
  t.is(refused.exitCode, 2);
  t.regex(refused.stderr, /machines: a localhost target runs every unit in an LXD container on this host/);
  await t.throwsAsync(access(join(local.cwd, '.lxdstack')), { code: 'ENOENT' });
});
