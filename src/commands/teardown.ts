import { DeclinedError, InputError } from '../util/errors.js';
import { DEPLOY_STEP_NAMES, isRemoteTarget } from '../pipeline/deploy-steps.js';
import { labRecord, openLab, type LabSession } from '../pipeline/session.js';
import type { LabPorts } from '../pipeline/ports.js';
import { teardownSummary } from '../pipeline/summary.js';
import { runStepList, stepRecords } from '../pipeline/task-list.js';
import { teardownSteps } from '../pipeline/teardown-steps.js';
import { commandLabPorts } from '../pipeline/wiring.js';
import { humanContext, writeJson, writeLine, type CommandContext } from '../util/context.js';
import { labFlags } from './deploy.js';

export interface TeardownOptions {
  answers?: string;
  keepController?: boolean;
  yes?: boolean;
  simulate?: boolean;
  json?: boolean;
}

/** What a teardown did, as `--json` prints it. */
export interface TeardownResult {
  lab: string;
  simulated: boolean;
  /** Steps in order, each done or skipped (with why). */
  steps: { name: string; title: string; state: 'done' | 'skipped'; detail?: string }[];
  /** What remains and must be removed by hand; empty when the teardown is complete. */
  leftovers: string[];
  keptController?: string;
}

/** A graceful destroy-model gets this long before teardown forces it. */
const GRACEFUL_MS = { real: 15 * 60_000, simulated: 60_000 };

/** Ask before destroying anything: before the task list starts, never inside it. */
export async function confirmDestruction(
  ctx: CommandContext,
  what: string,
  yes: boolean | undefined,
): Promise<void> {
  if (yes) return;
  if (!ctx.interactive) {
    throw new InputError(
      `Refusing to ${what} without confirmation: no terminal to ask on. Pass --yes to confirm.`,
    );
  }
  const { confirm } = await import('@inquirer/prompts');
  const ok = await confirm(
    { message: `${what[0]!.toUpperCase()}${what.slice(1)}?`, default: false },
    { input: ctx.stdin, output: ctx.stdout },
  );
  if (!ok) throw new DeclinedError('Nothing was removed (not confirmed).');
}

export function describeTeardown(session: LabSession, keepController: boolean): string {
  const resources = session.ledger
    .liveResources()
    .filter((r) => !(keepController && r.kind === 'controller'));
  const kinds = [...new Set(resources.map((r) => r.kind))];
  return `remove what lab ${session.spec.name} created (${resources.length} recorded: ${kinds.join(', ') || 'nothing'})`;
}

/** Teardown within an open lab session; shared by teardown, redeploy and demo. */
export async function teardownInSession(
  session: LabSession,
  ctx: CommandContext,
  options: { keepController: boolean; flags: string; ports?: LabPorts },
): Promise<TeardownResult> {
  const ports = options.ports ?? commandLabPorts(session, ctx);
  let leftovers: string[] = [];
  const steps = teardownSteps({
    ledger: session.ledger,
    ports,
    model: session.spec.model,
    keepController: options.keepController,
    remoteTarget: isRemoteTarget(session.spec),
    gracefulTimeoutMs: session.simulated ? GRACEFUL_MS.simulated : GRACEFUL_MS.real,
    onLeftovers: (found) => (leftovers = found),
  });
  // From here on the lab is no longer deployed: a later deploy re-checks every step.
  await session.ledger.resetSteps(DEPLOY_STEP_NAMES);
  const resumeCommand = `lxdstack teardown --yes${options.flags ? ` ${options.flags}` : ''}${options.keepController ? ' --keep-controller' : ''}`;
  const results = await runStepList(steps, session.ledger, ctx, {
    resumeCommand,
    secrets: session.secrets,
  });
  // The lab's progress starts over; resources stay in the ledger as history.
  await session.ledger.resetSteps();
  const kept = options.keepController ? session.ledger.liveResources('controller')[0]?.name : undefined;
  writeLine(ctx.stdout);
  for (const line of teardownSummary({
    simulated: session.simulated,
    leftovers,
    ...(kept ? { keptController: kept } : {}),
  })) {
    writeLine(ctx.stdout, line);
  }
  return {
    lab: session.spec.name,
    simulated: session.simulated,
    steps: stepRecords(results),
    leftovers,
    ...(kept ? { keptController: kept } : {}),
  };
}

export async function runTeardown(options: TeardownOptions, ctx: CommandContext): Promise<number> {
  // A lab that never recorded anything has nothing to remove: say so, and create nothing (no lock, no ledger).
  const record = await labRecord(ctx, options.answers);
  if (!record.recorded) {
    if (options.json)
      writeJson(ctx.stdout, { lab: record.name, simulated: false, steps: [], leftovers: [], complete: true });
    else
      writeLine(
        ctx.stdout,
        `Lab ${record.name} has recorded nothing (no ledger in ${record.dir}); nothing to tear down.`,
      );
    return 0;
  }
  const human = humanContext(ctx, options.json);
  const session = await openLab(human, {
    command: 'teardown',
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.simulate ? { simulate: true } : {}),
  });
  try {
    const keepController = options.keepController === true;
    await confirmDestruction(human, describeTeardown(session, keepController), options.yes);
    const result = await teardownInSession(session, human, { keepController, flags: labFlags(options) });
    if (options.json) writeJson(ctx.stdout, { ...result, complete: result.leftovers.length === 0 });
    return result.leftovers.length === 0 ? 0 : 1;
  } finally {
    await session.release();
  }
}
