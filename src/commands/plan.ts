import { relative } from 'node:path';
import { deploySteps } from '../pipeline/deploy-steps.js';
import { openLab } from '../pipeline/session.js';
import { labHasKvm, planLab } from '../pipeline/render.js';
import { unitsByMachine } from '../bundle/placement.js';
import { commandLabPorts } from '../pipeline/wiring.js';
import { writeLine, type CommandContext } from '../util/context.js';
import { computeCaveats, labVirtType } from '../lab/compute.js';
import { parseYaml } from '../util/yaml.js';
import { sshKeyProblem } from '../lab/ssh-key.js';
import { InputError } from '../util/errors.js';
import { checkExternalNetwork, externalNetworkOnThisHost } from '../lxd/lab-checks.js';
import { probeHostNetworks } from '../lxd/lab-probes.js';

export interface PlanOptions {
  answers?: string;
  json?: boolean;
  /** The demo's plan: the lab is simulated before its ledger says so. */
  simulate?: boolean;
}

/**
 * `lxdstack plan`: render the lab (in memory: plan writes nothing), validate it, print the changes `juju deploy`
 * would apply (in Juju's words) and deploy's ordered steps with their exact commands. Runs nothing:
 * exit 0 when the bundle is valid, 1 when it is not.
 */
export async function runPlan(options: PlanOptions, ctx: CommandContext): Promise<number> {
  const session = await openLab(ctx, {
    command: 'plan',
    readOnly: true,
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.simulate ? { simulate: true } : {}),
  });
  // Free text the later steps rely on is checked now: a wrong key file is bad input, a missing one a warning
  // (a simulated lab never imports it).
  const keyProblem = await sshKeyProblem(session.spec.sshPublicKey, session.source);
  if (keyProblem?.kind === 'wrong') throw new InputError(`${session.source}: ${keyProblem.message}.`);
  if (keyProblem) writeLine(ctx.stderr, `warning: ${keyProblem.message}.`);
  // The external bridge is made on this host: a range one of its networks (LXD's bridges included, as
  // interfaces) already uses is refused, as doctor fails it. A simulated lab makes no bridge.
  if (externalNetworkOnThisHost(session.spec) && !session.simulated) {
    const external = checkExternalNetwork(session.spec, { hostNetworks: probeHostNetworks() });
    if (external.status === 'fail')
      throw new InputError(`${session.source}: network.externalCidr ${external.measured}; ${external.fix}`);
  }
  const hasKvm = labHasKvm(session.simulated);
  const plan = await planLab(session.spec, session.dir, session.adminPassword, {
    hasKvm,
    write: false,
  });
  const virtType = labVirtType(session.spec, hasKvm);
  const caveats = computeCaveats(session.spec);
  const profile = parseYaml(plan.rendered.lxdProfile, 'lxd-profile.yaml') as {
    name?: string;
    devices?: object;
  };
  const profileDevices = Object.keys(profile.devices ?? {});
  const ports = commandLabPorts(session, ctx);
  const steps = deploySteps({
    spec: session.spec,
    ledger: session.ledger,
    ports,
    rendered: plan.paths,
    simulated: session.simulated,
    waitTimeoutMs: 0,
    labDirectory: session.dir,
  }).map((step) => ({ name: step.name, title: step.title, commands: step.commands() }));
  const files = plan.files.map((f) => relative(ctx.cwd, f));

  const machines = plan.rendered.machines
    ? unitsByMachine(plan.rendered.machines).map(({ machine, units }) => ({
        id: machine.id,
        role: machine.role,
        constraints: machine.constraints,
        units: units.map((u) => (u.inContainer ? `${u.unit} (lxd)` : u.unit)),
      }))
    : undefined;
  if (options.json) {
    const out = {
      lab: session.spec.name,
      profile: session.spec.profile,
      engine: session.spec.engine,
      juju: plan.flavour,
      files,
      valid: plan.valid,
      errors: plan.errors,
      applications: plan.paths.applications,
      ...(virtType ? { compute: { virtType, caveats } } : {}),
      lxdProfile: { name: profile.name, devices: profileDevices },
      ...(machines ? { machines } : {}),
      changes: plan.changes,
      steps,
    };
    writeLine(ctx.stdout, JSON.stringify(out, null, 2));
    return plan.valid ? 0 : 1;
  }

  writeLine(
    ctx.stdout,
    `Lab ${session.spec.name}: profile ${session.spec.profile}, engine ${session.spec.engine}, Juju ${plan.flavour} rules.`,
  );
  writeLine(
    ctx.stdout,
    `Renders ${files.length} files into ${relative(ctx.cwd, session.dir) || '.'} (deploy writes them; plan writes nothing):`,
  );
  for (const file of files) writeLine(ctx.stdout, `  ${file}`);
  if (!plan.valid) {
    writeLine(
      ctx.stdout,
      `The bundle is not valid (${plan.errors.length} error${plan.errors.length === 1 ? '' : 's'}):`,
    );
    for (const error of plan.errors) writeLine(ctx.stdout, `  ${error}`);
    return 1;
  }
  writeLine(ctx.stdout, 'Validation: ok');
  if (virtType) writeLine(ctx.stdout, `Compute: nova-compute virt-type ${virtType}`);
  for (const caveat of caveats) writeLine(ctx.stdout, `  CAVEAT: ${caveat}`);
  writeLine(ctx.stdout, `LXD profile ${profile.name ?? ''} devices: ${profileDevices.join(', ')}`);
  if (machines) {
    const { kind, cloud } = session.spec.target;
    writeLine(
      ctx.stdout,
      `Machines on the ${kind} cloud ${cloud} (${machines.length}, from machines: in the lab answers):`,
    );
    for (const machine of machines) {
      writeLine(
        ctx.stdout,
        `  ${machine.id}  ${machine.role.padEnd(7)}  ${machine.constraints || '(no constraints)'}  ->  ${machine.units.join(', ')}`,
      );
    }
  }
  writeLine(ctx.stdout, `Changes to deploy bundle (${plan.changes.length}):`);
  for (const change of plan.changes) writeLine(ctx.stdout, `- ${change}`);
  writeLine(ctx.stdout, 'Deploy steps, in order (each is skipped when its postcondition already holds):');
  steps.forEach((step, index) => {
    writeLine(ctx.stdout, `${index + 1}. ${step.title}`);
    for (const command of step.commands) writeLine(ctx.stdout, `     $ ${command}`);
  });
  return 0;
}
