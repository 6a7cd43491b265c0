import { TimeoutError, InterruptedError } from './errors.js';
import { describeCommand } from './command-line.js';
import { killGroup, trackGroup, untrackGroup } from './process-groups.js';

export { killAllChildren } from './process-groups.js';
export { describeCommand } from './command-line.js';

export interface RunOptions {
  /** Hard limit; on expiry the whole process group is killed (TERM, then KILL after `killGraceMs`). */
  timeoutMs: number;
  /** What the timeout message should advise. */
  timeoutHint?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Data for stdin: how secrets reach a child, never argv. */
  input?: string;
  /** Strings to mask in anything we report about this call (argv echo, output in errors). */
  secrets?: readonly string[];
  /** Aborting kills the group and rejects with InterruptedError. */
  signal?: AbortSignal;
  killGraceMs?: number;
  /** Called with each chunk of stdout as it arrives (progress of long commands). */
  onStdout?: (chunk: string) => void;
}

export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Run one outside command: argv array (never a shell string), its own process group, a timeout that
 * kills the whole group, and a result rather than an exception for non-zero exits (callers translate
 * exit codes into their own typed errors).
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const started = Date.now();
  const command = describeCommand(file, args, options.secrets);
  if (options.signal?.aborted) throw new InterruptedError();
  // Loaded on first use: commands that only render or read (plan, --help) never pay for execa.
  const { execa } = await import('execa');
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    detached: true,
    reject: false,
    stripFinalNewline: false,
  });
  const pgid = child.pid;
  if (pgid !== undefined) trackGroup(pgid);
  let timedOut = false;
  let aborted = false;
  const stop = () => {
    if (pgid === undefined) return;
    killGroup(pgid, 'SIGTERM');
    setTimeout(() => killGroup(pgid, 'SIGKILL'), options.killGraceMs ?? 2000).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.onStdout) child.stdout?.on('data', (chunk: Buffer) => options.onStdout?.(chunk.toString()));
  try {
    const result = await child;
    if (aborted) throw new InterruptedError();
    if (timedOut) {
      throw new TimeoutError(`\`${command}\``, options.timeoutMs, options.timeoutHint ?? '');
    }
    if (result.failed && result.exitCode === undefined) {
      const missing = (result as { code?: string }).code === 'ENOENT';
      return {
        command,
        exitCode: missing ? 127 : 126,
        stdout: '',
        stderr: missing ? `${file}: command not found` : String(result.shortMessage ?? result.message),
        durationMs: Date.now() - started,
      };
    }
    return {
      command,
      exitCode: result.exitCode ?? 1,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (pgid !== undefined) {
      // The leader exited; anything it left behind in its group goes with it.
      killGroup(pgid, 'SIGKILL');
      untrackGroup(pgid);
    }
  }
}
