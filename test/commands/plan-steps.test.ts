import test from 'ava';
import { cliInProcess as cli, newSimLab, type SimLab } from '../pipeline/sim-lab.js';

// Issue 16 item 4: plan's steps are exactly the steps deploy runs for the lab's target, with the same
// commands as deploy --dry-run; a step deploy skips for the target says so in plan instead of a command.

interface PlannedStep {
  name: string;
  title: string;
  commands: string[];
}

async function planSteps(lab: SimLab): Promise<PlannedStep[]> {
  const plan = await cli(lab, ['plan', '--json']);
  if (plan.exitCode !== 0) throw new Error(plan.stderr);
  return (JSON.parse(plan.stdout) as { steps: PlannedStep[] }).steps;
}

async function dryRunSteps(lab: SimLab): Promise<PlannedStep[]> {
  const dry = await cli(lab, ['deploy', '--dry-run', '--json']);
  if (dry.exitCode !== 0) throw new Error(dry.stderr);
  return (JSON.parse(dry.stdout) as { steps: PlannedStep[] }).steps;
}

const LABS: Record<string, { yaml: string; name: string }> = {
  localhost: { name: 'openstack-lab', yaml: 'profile: tutorial-2016\nadminPassword: Sekrit-Admin-Pw-42\n' },
  'nested-container': {
    name: 'nested-lab',
    yaml: 'name: nested-lab\nprofile: tutorial-2016\nadminPassword: Sekrit-Admin-Pw-42\ntarget:\n  kind: nested-container\n',
  },
  maas: {
    name: 'maas-lab',
    yaml: 'name: maas-lab\nprofile: modern\nadminPassword: Sekrit-Admin-Pw-42\ntarget:\n  kind: maas\n  cloud: maas-lab\nmachines:\n  control:\n    count: 1\n',
  },
};

for (const [kind, labYaml] of Object.entries(LABS)) {
  test(`${kind}: plan --json lists exactly deploy --dry-run's steps and commands`, async (t) => {
    const lab = await newSimLab({}, labYaml);
    const planned = await planSteps(lab);
    t.true(planned.length >= 9);
    t.deepEqual(planned, await dryRunSteps(lab));
  });
}

test('maas: the steps deploy skips for a remote target say so in plan, and the simulated run skips them', async (t) => {
  const lab = await newSimLab({}, LABS.maas);
  const planned = await planSteps(lab);
  const prepare = planned.find((s) => s.name === 'prepare-lxd');
  t.deepEqual(prepare?.commands, [
    "(nothing: the target is maas (cloud maas-lab): this host's LXD is not used)",
  ]);

  const run = await cli(lab, ['deploy', '--simulate', '--json']);
  t.is(run.exitCode, 0, run.stderr);
  const ran = (JSON.parse(run.stdout) as { steps: { name: string; state: string; detail?: string }[] }).steps;
  t.deepEqual(
    ran.map((s) => s.name),
    planned.map((s) => s.name),
  );
  const skipped = ran.find((s) => s.name === 'prepare-lxd');
  t.is(skipped?.state, 'skipped');
  t.regex(skipped?.detail ?? '', /this host's LXD is not used/);
});

test('localhost: the simulated deploy runs the steps plan listed, in order', async (t) => {
  const lab = await newSimLab();
  const planned = await planSteps(lab);
  const run = await cli(lab, ['deploy', '--simulate', '--json']);
  t.is(run.exitCode, 0, run.stderr);
  t.deepEqual(
    (JSON.parse(run.stdout) as { steps: { name: string }[] }).steps.map((s) => s.name),
    planned.map((s) => s.name),
  );
});

test("a simulated lab's Expose step and its dashboard line agree: the simulated address answers nowhere", async (t) => {
  const lab = await newSimLab();
  const run = await cli(lab, ['deploy', '--simulate']);
  t.is(run.exitCode, 0, run.stderr);
  t.regex(
    run.stdout,
    /Expose the cloud to this host \[SKIPPED: SIMULATION: the simulated addresses answer nowhere/,
  );
  t.notRegex(run.stdout, /reachable from this host/);
  t.regex(run.stdout, /Dashboard: +http:\/\/\S+\/horizon {2}\(simulated address: nothing answers there\)/);
});
