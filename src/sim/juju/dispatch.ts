import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimCommandFailure } from '../failure.js';
import { updateSimState } from '../state.js';
import { addModel } from './add-model.js';
import { addUnit } from './add-unit.js';
import { bootstrap } from './bootstrap.js';
import { config } from './config.js';
import { createSimContext, type Command, type SimContext, type SimIo } from './context.js';
import { controllers } from './controllers.js';
import { debugLog } from './debug-log.js';
import { showUnit } from './show-unit.js';
import { deploy } from './deploy.js';
import { destroyController, killController } from './destroy-controller.js';
import { destroyModel } from './destroy-model.js';
import { diffBundle } from './diff-bundle.js';
import { exec } from './exec.js';
import { exportBundle } from './export-bundle.js';
import { models } from './models.js';
import { removeUnit } from './remove-unit.js';
import { runAction } from './run-action.js';
import { status } from './status.js';
import { switchCommand } from './switch.js';
import { version } from './version.js';

// The simulated `juju` dispatcher: subcommand name -> command (one module each in this folder), the
// injected command faults (failOnce, hang), and Juju's `ERROR` line and exit code for a failure.
// A new command is one module exporting a Command plus one line in COMMANDS.

const COMMANDS: Record<string, Command> = {
  version,
  controllers,
  'list-controllers': controllers,
  models,
  'list-models': models,
  bootstrap,
  'add-model': addModel,
  switch: switchCommand,
  deploy,
  status,
  'export-bundle': exportBundle,
  'diff-bundle': diffBundle,
  config,
  'add-unit': addUnit,
  'remove-unit': removeUnit,
  'destroy-model': destroyModel,
  'destroy-controller': destroyController,
  'kill-controller': killController,
  'debug-log': debugLog,
  'show-unit': showUnit,
};

/** Which function a subcommand name means in this flavour (`run` is an action in 3.x, exec in 2.9). */
function commandFor(ctx: SimContext, name: string): Command | undefined {
  if (name === 'run') return ctx.flavour === '3' ? runAction : exec;
  if (name === 'run-action') return ctx.flavour === '2.9' ? runAction : undefined;
  if (name === 'exec') return exec;
  return COMMANDS[name];
}

async function hangForever(ctx: SimContext): Promise<never> {
  // A child in our process group: after a group kill it must be gone too (tests check its pid).
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
  await writeFile(join(ctx.dir, `hang-${process.pid}.pids`), `${process.pid} ${child.pid}\n`);
  return new Promise<never>(() => setInterval(() => undefined, 60_000));
}

async function applyCommandFaults(ctx: SimContext, name: string): Promise<void> {
  if ((ctx.faults.hang ?? []).some((f) => f.command === name)) await hangForever(ctx);
  const failures = ctx.faults.failOnce ?? [];
  const index = failures.findIndex((f) => f.command === name);
  if (index === -1) return;
  const fault = failures[index]!;
  const key = `failOnce:${name}:${index}`;
  const fire = await updateSimState(ctx.dir, (state) => {
    if (state.spentFaults.includes(key)) return false;
    state.spentFaults.push(key);
    return true;
  });
  if (fire) throw new SimCommandFailure(fault.message ?? 'connection is shut down', fault.exitCode ?? 1);
}

/** Run one simulated juju invocation; returns the exit code. */
export async function runSimJuju(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: SimIo,
): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help') {
      io.stdout('Usage: juju [flags] <command> ...\n(lxdstack juju simulator)\n');
      return 0;
    }
    const ctx = await createSimContext(env, io);
    const command = commandFor(ctx, name);
    if (!command) throw new SimCommandFailure(`unrecognized command: juju ${name}`, 2, true);
    await applyCommandFaults(ctx, name);
    await command(ctx, args);
    return 0;
  } catch (error) {
    if (error instanceof SimCommandFailure) {
      io.stderr(error.bare ? `${error.message}\n` : `ERROR ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`ERROR ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
