import { adminPasswordPath } from '../lab/credentials.js';
import type { LabSpec } from '../lab/schema.js';
import { JobError } from '../util/errors.js';
import { deploySteps } from '../pipeline/deploy-steps.js';
import { openLab, type LabSession } from '../pipeline/session.js';
import type { LabPorts, SmokeOutcome } from '../pipeline/ports.js';
import { labHasKvm, planLab } from '../pipeline/render.js';
import { deploySummary, SIMULATION_BANNER } from '../pipeline/summary.js';
import { runStepList, stepRecords } from '../pipeline/task-list.js';
import { commandLabPorts } from '../pipeline/wiring.js';
import { humanContext, writeJson, writeLine, type CommandContext } from '../util/context.js';

export interface DeployOptions {
  answers?: string;
  simulate?: boolean;
  engine?: LabSpec['engine'];
  dryRun?: boolean;
  json?: boolean;
}

/** What a deploy did, as `--json` prints it (schema in the README's "JSON output"). */
export interface DeployResult {
  lab: string;
  profile: string;
  simulated: boolean;
  dryRun: boolean;
  steps: {
    name: string;
    title: string;
    state?: 'done' | 'skipped';
    detail?: string;
    commands?: string[];
  }[];
  dashboard?: string;
  credentialsFile?: string;
  smoke?: Omit<SmokeOutcome, 'text'>;
}

/** How long readiness may take: a real OpenStack bundle on one host needs most of an hour. */
const REAL_WAIT_MS = 90 * 60_000;
const SIMULATED_WAIT_MS = 10 * 60_000;

/** A simulated lab's readiness bound: LXDSTACK_SIM_WAIT_TIMEOUT seconds (checked with the sim settings). */
function simulatedWaitMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.LXDSTACK_SIM_WAIT_TIMEOUT);
  return env.LXDSTACK_SIM_WAIT_TIMEOUT && seconds > 0 ? seconds * 1000 : SIMULATED_WAIT_MS;
}

/** The flags the next commands need to find the same lab. */
export function labFlags(options: { answers?: string }): string {
  return options.answers ? `--answers ${options.answers}` : '';
}

/** The smoke outcome without its text, which the summary already showed. */
function smokeFacts({ text: _shown, ...facts }: SmokeOutcome): Omit<SmokeOutcome, 'text'> {
  return facts;
}

/** Deploy within an open lab session; shared by deploy, redeploy and demo. */
export async function deployInSession(
  session: LabSession,
  ctx: CommandContext,
  options: { dryRun?: boolean; flags: string; engine?: LabSpec['engine']; ports?: LabPorts },
): Promise<DeployResult> {
  const { spec } = session;
  // A dry run renders in memory: it writes nothing into the lab's folder.
  const result = { lab: spec.name, profile: spec.profile, simulated: session.simulated };
  const plan = await planLab(spec, session.dir, session.adminPassword, {
    hasKvm: labHasKvm(session.simulated),
    write: options.dryRun !== true,
  });
  if (!plan.valid) {
    throw new JobError(
      `The rendered bundle does not pass Juju's checks; run \`lxdstack plan${options.flags ? ` ${options.flags}` : ''}\` for details.`,
      {
        details: plan.errors,
      },
    );
  }
  const ports = options.ports ?? commandLabPorts(session, ctx);
  let smoke: SmokeOutcome | undefined;
  const steps = deploySteps({
    spec,
    ledger: session.ledger,
    ports,
    rendered: plan.paths,
    simulated: session.simulated,
    waitTimeoutMs: session.simulated ? simulatedWaitMs(ctx.env) : REAL_WAIT_MS,
    onVerified: (outcome) => (smoke = outcome),
    labDirectory: session.dir,
    onSecret: (secret) => session.secrets.push(secret),
  });
  if (session.simulated) writeLine(ctx.stdout, SIMULATION_BANNER);
  if (options.dryRun) {
    writeLine(
      ctx.stdout,
      `Dry run: the steps of \`lxdstack deploy\` for lab ${spec.name}, in order; nothing is run.`,
    );
    const listed = steps.map((step) => ({ name: step.name, title: step.title, commands: step.commands() }));
    listed.forEach((step, index) => {
      writeLine(ctx.stdout, `${index + 1}. ${step.title}`);
      for (const command of step.commands) writeLine(ctx.stdout, `     $ ${command}`);
    });
    return { ...result, dryRun: true, steps: listed };
  }
  const resumeFlags = [
    options.flags,
    options.engine ? `--engine ${options.engine}` : '',
    session.simulated ? '--simulate' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const resumeCommand = `lxdstack deploy${resumeFlags ? ` ${resumeFlags}` : ''}`;
  const results = await runStepList(steps, session.ledger, ctx, { resumeCommand, secrets: session.secrets });
  // In the nested layout the dashboard is reached through the outer container's proxy device.
  const dashboardAddress = spec.components.dashboard
    ? (ports.lxd.exposedDashboard?.(session.ledger) ??
      (await ports.juju.unitAddress(spec.controller, spec.model, 'openstack-dashboard')))
    : undefined;
  const summary = deploySummary({
    spec,
    simulated: session.simulated,
    cwd: ctx.cwd,
    credentialsPath: adminPasswordPath(session.dir),
    ...(dashboardAddress ? { dashboardAddress } : {}),
    results,
    ...(smoke ? { smoke } : {}),
    commandSuffix: [options.flags, session.simulated ? '--simulate' : ''].filter(Boolean).join(' '),
  });
  writeLine(ctx.stdout);
  for (const line of summary) writeLine(ctx.stdout, line);
  return {
    ...result,
    dryRun: false,
    steps: stepRecords(results),
    ...(dashboardAddress ? { dashboard: `http://${dashboardAddress}/horizon` } : {}),
    credentialsFile: adminPasswordPath(session.dir),
    ...(smoke ? { smoke: smokeFacts(smoke) } : {}),
  };
}

export async function runDeploy(options: DeployOptions, ctx: CommandContext): Promise<number> {
  const human = humanContext(ctx, options.json);
  const session = await openLab(human, {
    command: 'deploy',
    readOnly: options.dryRun === true,
    createPassword: options.dryRun !== true,
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.simulate ? { simulate: true } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  try {
    const result = await deployInSession(session, human, {
      dryRun: options.dryRun === true,
      flags: labFlags(options),
      ...(options.engine ? { engine: options.engine } : {}),
    });
    if (options.json) writeJson(ctx.stdout, result);
    return 0;
  } finally {
    await session.release();
  }
}
