import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { runCommandLine } from '../../src/cli.js';
import { captureContext } from '../pipeline/context.js';
import type { CommandRunner } from '../../src/util/runner.js';
import { simulatorRunner } from './sim-runner.js';

/** The built CLI (run `npm run build` first; `npm test` does). */
export const CLI = fileURLToPath(new URL('../../dist/bin/cli.js', import.meta.url));
/** The simulator's `juju` and `conjure-up` launchers. */
export const SIM_BIN = fileURLToPath(new URL('../../dist/sim-bin', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Spawn the real CLI as a user would, without a TTY. */
export async function runCli(
  args: readonly string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
  } = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
    input: options.input ?? '',
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * `runCli` in this process: the same command line, context and error boundary as the spawned CLI
 * (main() only adds signal handling and the process streams' redaction), without a Node start per
 * call. For tests of what a command prints and returns; tests of the process itself (signals, the
 * streams, the built bundle) keep `runCli`. juju and conjure-up are the simulator's, in this process
 * too. Like execa, one final newline is taken off each stream.
 */
export async function runCliInProcess(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; runner?: CommandRunner } = {},
): Promise<CliResult> {
  const { ctx, stdout, stderr } = captureContext(options.cwd ?? process.cwd(), {
    ...process.env,
    NO_COLOR: '1',
    ...options.env,
  });
  const exitCode = await runCommandLine(args, { ...ctx, runner: options.runner ?? simulatorRunner });
  // The captured streams deliver their last chunk on the next turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  return { exitCode, stdout: stdout().replace(/\n$/, ''), stderr: stderr().replace(/\n$/, '') };
}
