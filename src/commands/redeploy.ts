import { openLab } from '../pipeline/session.js';
import { ExitCode } from '../util/errors.js';
import { humanContext, writeJson, writeLine, type CommandContext } from '../util/context.js';
import { deployInSession, labFlags } from './deploy.js';
import { confirmDestruction, teardownInSession } from './teardown.js';

export interface RedeployOptions {
  answers?: string;
  yes?: boolean;
  simulate?: boolean;
  json?: boolean;
}

/** Tear the lab down keeping the controller, then deploy it again with the same answers, under one lock. */
export async function runRedeploy(options: RedeployOptions, ctx: CommandContext): Promise<number> {
  const human = humanContext(ctx, options.json);
  const session = await openLab(human, {
    command: 'redeploy',
    createPassword: true,
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.simulate ? { simulate: true } : {}),
  });
  try {
    await confirmDestruction(
      human,
      `tear down lab ${session.spec.name} (keeping its controller) and deploy it again`,
      options.yes,
    );
    const flags = labFlags(options);
    const teardown = await teardownInSession(session, human, { keepController: true, flags });
    if (teardown.leftovers.length > 0) {
      // Deploying over leftovers would mix two generations of the lab: stop, as the summary says.
      if (options.json) writeJson(ctx.stdout, { teardown });
      return ExitCode.failure;
    }
    writeLine(human.stdout);
    const deploy = await deployInSession(session, human, { flags });
    if (options.json) writeJson(ctx.stdout, { teardown, deploy });
    return ExitCode.ok;
  } finally {
    await session.release();
  }
}
