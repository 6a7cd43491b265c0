import { openLab } from '../pipeline/session.js';
import { labHasKvm, planLab } from '../pipeline/render.js';
import { parseScaleAssignment, scaleSteps } from '../pipeline/scale.js';
import { SIMULATION_BANNER } from '../pipeline/summary.js';
import { runStepList, stepRecords } from '../pipeline/task-list.js';
import { commandLabPorts } from '../pipeline/wiring.js';
import { humanContext, writeJson, writeLine, type CommandContext } from '../util/context.js';
import { counted } from '../util/text.js';
import { labFlags } from './deploy.js';

export interface ScaleOptions {
  assignment: string;
  answers?: string;
  simulate?: boolean;
  json?: boolean;
}

/** `lxdstack scale compute=N`: add or remove nova-compute units, then wait for readiness. */
export async function runScale(options: ScaleOptions, ctx: CommandContext): Promise<number> {
  const { units } = parseScaleAssignment(options.assignment);
  const human = humanContext(ctx, options.json);
  const session = await openLab(human, {
    command: `scale ${options.assignment}`,
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.simulate ? { simulate: true } : {}),
  });
  try {
    if (session.simulated) writeLine(human.stdout, SIMULATION_BANNER);
    const ports = commandLabPorts(session, ctx);
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
    const results = await runStepList(steps, session.ledger, human, {
      resumeCommand: `lxdstack scale ${options.assignment}${flags ? ` ${flags}` : ''}`,
      secrets: session.secrets,
    });
    writeLine(human.stdout, `nova-compute has ${counted(units, 'unit')} and the model is ready.`);
    if (options.json) {
      writeJson(ctx.stdout, {
        lab: session.spec.name,
        simulated: session.simulated,
        application: 'nova-compute',
        units,
        steps: stepRecords(results),
      });
    }
    return 0;
  } finally {
    await session.release();
  }
}
