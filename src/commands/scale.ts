import { openLab } from '../pipeline/session.js';
import { labHasKvm, planLab } from '../pipeline/render.js';
import { parseScaleAssignment, scaleSteps } from '../pipeline/scale.js';
import { SIMULATION_BANNER } from '../pipeline/summary.js';
import { runStepList } from '../pipeline/task-list.js';
import { createLabPorts } from '../pipeline/wiring.js';
import { writeLine, type CommandContext } from '../util/context.js';
import { labFlags } from './deploy.js';

export interface ScaleOptions {
  assignment: string;
  answers?: string;
  simulate?: boolean;
}

/** `lxdstack scale compute=N`: add or remove nova-compute units, then wait for readiness. */
export async function runScale(options: ScaleOptions, ctx: CommandContext): Promise<number> {
  const { units } = parseScaleAssignment(options.assignment);
  const session = await openLab(ctx, {
    command: `scale ${options.assignment}`,
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.simulate ? { simulate: true } : {}),
  });
  try {
    if (session.simulated) writeLine(ctx.stdout, SIMULATION_BANNER);
    const ports = createLabPorts({ session, env: ctx.env, signal: ctx.signal, cwd: ctx.cwd });
    const plan = await planLab(session.spec, session.dir, session.adminPassword, {
      hasKvm: labHasKvm(session.simulated),
    });
    const steps = scaleSteps({
      spec: session.spec,
      ledger: session.ledger,
      ports,
      units,
      expectedUnits: plan.paths.units,
      waitTimeoutMs: session.simulated ? 10 * 60_000 : 60 * 60_000,
    });
    const flags = [labFlags(options), session.simulated ? '--simulate' : ''].filter(Boolean).join(' ');
    await runStepList(steps, session.ledger, ctx, {
      resumeCommand: `lxdstack scale ${options.assignment}${flags ? ` ${flags}` : ''}`,
      secrets: session.secrets,
    });
    writeLine(ctx.stdout, `nova-compute has ${units} unit${units === 1 ? '' : 's'} and the model is ready.`);
    return 0;
  } finally {
    await session.release();
  }
}
