import { DEFAULT_PROFILE } from '../lab/profiles/index.js';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { defaultSpec } from '../lab/defaults.js';
import { writeLabYaml } from '../lab/labfile.js';
import { openLab } from '../pipeline/session.js';
import { SIMULATION_BANNER } from '../pipeline/summary.js';
import { humanContext, writeJson, writeLine, type CommandContext } from '../util/context.js';
import { deployInSession, type DeployResult } from './deploy.js';
import { runPlan } from './plan.js';
import { teardownInSession, type TeardownResult } from './teardown.js';
import { pathExists } from '../util/fs.js';
import { InputError } from '../util/errors.js';
import { DEFAULT_ANSWERS_FILE, STATE_FOLDER } from '../util/paths.js';

export interface DemoOptions {
  dir?: string;
  keep?: boolean;
  json?: boolean;
}

/** What a demo did, as `--json` prints it: each command's own document (schemas in the README). */
export interface DemoResult {
  dir: string;
  plan: unknown;
  deploy?: DeployResult;
  /** deploy's verify step: the smoke outcome. */
  verify?: DeployResult['smoke'];
  teardown?: TeardownResult & { complete: boolean };
  kept: boolean;
}

/** Plan's JSON document, run into a buffer: the demo's own document holds it. */
async function planDocument(ctx: CommandContext): Promise<{ code: number; document: unknown }> {
  let text = '';
  const buffer = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const code = await runPlan({ json: true, simulate: true }, { ...ctx, stdout: buffer });
  return { code, document: JSON.parse(text) as unknown };
}

/**
 * The whole lifecycle on the built-in simulator, with the tutorial profile and default answers, no
 * questions: plan, deploy (preflight, LXD, controller, model, bundle, readiness, configure, verify),
 * summary, then teardown unless --keep.
 */
export async function runDemo(options: DemoOptions, output: CommandContext): Promise<number> {
  const ctx = humanContext(output, options.json);
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
  let planned: Awaited<ReturnType<typeof planDocument>> | undefined;
  if (options.json) planned = await planDocument(demoCtx);
  const planCode = planned ? planned.code : await runPlan({ simulate: true }, demoCtx);
  const result: DemoResult = { dir, plan: planned?.document, kept: false };
  const done = (code: number): number => {
    if (options.json) writeJson(output.stdout, result);
    return code;
  };
  if (planCode !== 0) return done(planCode);

  const session = await openLab(demoCtx, { command: 'demo', simulate: true, createPassword: true });
  try {
    step('lxdstack deploy --simulate');
    result.deploy = await deployInSession(session, demoCtx, { flags: '' });
    if (result.deploy.smoke) result.verify = result.deploy.smoke;
    if (options.keep) {
      result.kept = true;
      writeLine(ctx.stdout);
      writeLine(
        ctx.stdout,
        `The demo lab stays deployed on the simulator (--keep). To look at it and remove it later:`,
      );
      writeLine(ctx.stdout, `  cd ${dir}`);
      writeLine(ctx.stdout, '  lxdstack status --simulate');
      writeLine(ctx.stdout, '  lxdstack teardown --yes --simulate');
      return done(0);
    }
    step('lxdstack teardown --yes --simulate');
    const teardown = await teardownInSession(session, demoCtx, { keepController: false, flags: '' });
    const code = teardown.leftovers.length === 0 ? 0 : 1;
    result.teardown = { ...teardown, complete: code === 0 };
    writeLine(ctx.stdout);
    writeLine(
      ctx.stdout,
      `SIMULATION: demo ${code === 0 ? 'complete' : 'finished with leftovers'}; its files (rendered bundle, ledger, smoke reports) are in ${dir}.`,
    );
    return done(code);
  } finally {
    await session.release();
  }
}
