// Expected failures are LxdstackError subclasses carrying their exit code; anything else reaching the
// CLI's boundary is a bug and gets a log file with the stack (see src/cli.ts).

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  preflight: 3,
  /** The user answered no to a confirmation: nothing happened, and nothing went wrong. */
  declined: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class LxdstackError extends Error {
  readonly exitCode: ExitCodeValue;
  /** Extra lines printed after the message, one problem per line (e.g. every field error). */
  readonly details: readonly string[];
  constructor(
    message: string,
    options: { exitCode?: ExitCodeValue; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.details = options.details ?? [];
  }
}

/** Bad input or usage: exit 2. */
export class InputError extends LxdstackError {
  constructor(message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
  }
}

/** The job (deploy, verify, ...) failed: exit 1. */
export class JobError extends LxdstackError {
  constructor(message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.failure });
  }
}

/** Preflight refused to go on: exit 3. */
export class PreflightError extends LxdstackError {
  constructor(message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.preflight });
  }
}

/** The user declined a confirmation: exit 4, and the CLI prints the message alone, not as an error. */
export class DeclinedError extends LxdstackError {
  constructor(message: string) {
    super(message, { exitCode: ExitCode.declined });
  }
}

/** The user interrupted (Ctrl-C): exit 130. */
export class InterruptedError extends LxdstackError {
  constructor(message = 'Interrupted.') {
    super(message, { exitCode: ExitCode.interrupted });
  }
}

/** A call to an outside system (juju, LXD, OpenStack) did not answer in time. */
export class TimeoutError extends LxdstackError {
  constructor(what: string, timeoutMs: number, hint: string) {
    super(`${what} did not finish within ${formatDuration(timeoutMs)}. ${hint}`.trim());
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
