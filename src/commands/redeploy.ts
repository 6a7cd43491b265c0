import { openLab } from '../pipeline/session.js';
import { writeLine, type CommandContext } from '../util/context.js';
import { deployInSession, labFlags } from './deploy.js';
import { confirmDestruction, teardownInSession } from './teardown.js';

export interface RedeployOptions {
  answers?: string;
  yes?: boolean;
  simulate?: boolean;
}

/** Tear the lab down keeping the controller, then deploy it again with the same answers, under one lock. */
export async function runRedeploy(options: RedeployOptions, ctx: CommandContext): Promise<number> {
  const session = await openLab(ctx, {
    command: 'redeploy',
    createPassword: true,
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.simulate ? { simulate: true } : {}),
  });
  try {
    await confirmDestruction(
      ctx,
      `tear down lab ${session.spec.name} (keeping its controller) and deploy it again`,
      options.yes,
    );
    const flags = labFlags(options);
    const code = await teardownInSession(session, ctx, { keepController: true, flags });
    if (code !== 0) return code;
    writeLine(ctx.stdout);
    return await deployInSession(session, ctx, { flags });
  } finally {
    await session.release();
  }
}
