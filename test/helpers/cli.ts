import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

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
