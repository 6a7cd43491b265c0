import { DEFAULT_PROFILE } from '../lab/profiles/index.js';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultSpec } from '../lab/defaults.js';
import { writeLabYaml } from '../lab/labfile.js';
import { openLab } from '../pipeline/session.js';
import { SIMULATION_BANNER } from '../pipeline/summary.js';
import { writeLine, type CommandContext } from '../util/context.js';
import { deployInSession } from './deploy.js';
import { runPlan } from './plan.js';
import { teardownInSession } from './teardown.js';
import { pathExists } from '../util/fs.js';
import { InputError } from '../util/errors.js';
import { DEFAULT_ANSWERS_FILE, STATE_FOLDER } from '../util/paths.js';

export interface DemoOptions {
  dir?: string;
  keep?: boolean;
}

/**
 * The whole lifecycle on the built-in simulator, with the tutorial profile and default answers, no
 * questions: plan, deploy (preflight, LXD, controller, model, bundle, readiness, configure, verify),
 * summary, then teardown unless --keep.
 */
export async function runDemo(options: DemoOptions, ctx: CommandContext): Promise<number> {
  const dir = options.dir ? resolve(ctx.cwd, options.dir) : await mkdtemp(join(tmpdir(), 'lxdstack-demo-'));
  const answers = join(dir, DEFAULT_ANSWERS_FILE);
  // The demo ends by tearing its lab down: it must never adopt, and then remove, a lab of yours.
  for (const existing of [answers, join(dir, STATE_FOLDER)]) {
    if (await pathExists(existing)) {
      throw new InputError(
        `--dir ${options.dir}: ${existing} already exists, so that folder holds a lab; give the demo an empty or new folder.`,
      );
    }
  }
  await mkdir(dir, { recursive: true });
  await writeLabYaml(answers, defaultSpec(DEFAULT_PROFILE));
  const demoCtx: CommandContext = { ...ctx, cwd: dir };
  const step = (text: string) => {
    writeLine(ctx.stdout);
    writeLine(ctx.stdout, `== ${text}`);
  };

  writeLine(ctx.stdout, SIMULATION_BANNER);
  writeLine(
    ctx.stdout,
    `Demo lab folder: ${dir} (answers: lab.yaml, profile ${DEFAULT_PROFILE}, default answers)`,
  );

  step('lxdstack plan');
  const planCode = await runPlan({}, demoCtx);
  if (planCode !== 0) return planCode;

  const session = await openLab(demoCtx, { command: 'demo', simulate: true, createPassword: true });
  try {
    step('lxdstack deploy --simulate');
    await deployInSession(session, demoCtx, { flags: '' });
    if (options.keep) {
      writeLine(ctx.stdout);
      writeLine(
        ctx.stdout,
        `The demo lab stays deployed on the simulator (--keep). To look at it and remove it later:`,
      );
      writeLine(ctx.stdout, `  cd ${dir}`);
      writeLine(ctx.stdout, '  lxdstack status --simulate');
      writeLine(ctx.stdout, '  lxdstack teardown --yes --simulate');
      return 0;
    }
    step('lxdstack teardown --yes --simulate');
    const { leftovers } = await teardownInSession(session, demoCtx, { keepController: false, flags: '' });
    const code = leftovers.length === 0 ? 0 : 1;
    writeLine(ctx.stdout);
    writeLine(
      ctx.stdout,
      `SIMULATION: demo ${code === 0 ? 'complete' : 'finished with leftovers'}; its files (rendered bundle, ledger, smoke reports) are in ${dir}.`,
    );
    return code;
  } finally {
    await session.release();
  }
}
