// Expected failures are LxdstackError subclasses carrying their exit code; anything else reaching the
// CLI's boundary is a bug and gets a log file with the stack (see src/cli.ts).

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  preflight: 3,
  /** Another lxdstack holds the lab's lock. */
  locked: 4,
  /** The user answered no to a confirmation: nothing happened, and nothing went wrong. */
  declined: 5,
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

/** What an OS error code means, in words a person acts on. */
const FILE_ERROR_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'the folder it goes in does not exist',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EEXIST: 'something else is already there',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  EXDEV: 'it is on another file system',
  EINVAL: 'the file system does not allow it',
  ENXIO: 'nothing is reading from it',
};

/** The OS error codes that are about the file or the machine, never a bug in lxdstack. */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in FILE_ERROR_REASONS && 'syscall' in (error as object);
}

/** A file that cannot be read or written: exit 2, `cannot write PATH: reason`. */
export class FileAccessError extends LxdstackError {
  readonly path: string;
  readonly code: string | undefined;
  constructor(operation: 'read' | 'write', path: string, cause: unknown) {
    if (cause instanceof FileAccessError) {
      super(cause.message, { exitCode: ExitCode.usage, cause });
      this.path = cause.path;
      this.code = cause.code;
      return;
    }
    const code = (cause as { code?: string } | null)?.code;
    const reason = (code && FILE_ERROR_REASONS[code]) ?? errorMessage(cause);
    super(`cannot ${operation} ${path}: ${reason}${code ? ` (${code})` : ''}`, {
      exitCode: ExitCode.usage,
      cause,
    });
    this.path = path;
    this.code = code;
  }
}

/** Preflight refused to go on: exit 3. */
export class PreflightError extends LxdstackError {
  constructor(message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.preflight });
  }
}

/** Another lxdstack holds the lab's lock: exit 4, naming the holder. */
export class LabLockedError extends LxdstackError {
  constructor(message: string) {
    super(message, { exitCode: ExitCode.locked });
  }
}

/** The user declined a confirmation: exit 5, and the CLI prints the message alone, not as an error. */
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
