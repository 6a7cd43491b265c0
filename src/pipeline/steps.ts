import { InputError, InterruptedError, JobError, LxdstackError, errorMessage } from '../util/errors.js';
import { redactText } from '../util/redact.js';
import { LedgerWriteError, type Ledger } from '../state/ledger.js';

// One step of a lifecycle: a postcondition checked first (skip when it already holds), the action, and
// the exact commands it runs (for --dry-run and `lxdstack plan`). executeStep records the step in the
// ledger before and after acting, so a run killed anywhere resumes from the first unfinished step.

export interface StepIo {
  signal: AbortSignal;
  /** One line of progress (listr2 shows it under the task; the plain renderer prints it). */
  report(line: string): void;
}

export interface Step {
  /** Ledger key. */
  name: string;
  title: string;
  /** The exact commands the step runs, for --dry-run. */
  commands(): string[];
  /** Returns why the step is not needed (its postcondition holds), or undefined when it must run. */
  satisfied(io: StepIo): Promise<string | undefined>;
  /** Acts; returns a one-line note for the summary, if any. */
  run(io: StepIo): Promise<string | void>;
  /** Extra attempts after a failure that may be transient (the action must be idempotent). */
  retries?: number;
  /** What to do when the step failed, before resuming. */
  advice?(error: unknown): string;
}

export type StepOutcome = { state: 'done'; note?: string } | { state: 'skipped'; reason: string };

export interface ExecuteOptions {
  /** The command a person runs to resume (e.g. `lxdstack deploy`). */
  resumeCommand: string;
  /** Strings that must never appear in messages (the admin password). */
  secrets: readonly string[];
  /** Delay before a retry; tests pass 0. */
  retryDelayMs?: number;
}

/** Wait `ms`, or reject with InterruptedError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Failures that retrying cannot fix: bad input or files (exit 2), interruption, preflight refusal, a lock. */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof InputError ||
    error instanceof InterruptedError ||
    (error instanceof LxdstackError && error.exitCode !== 1)
  );
}

/** Record the step's end; a ledger that cannot be written must not replace the step's own error. */
async function recordFailure(ledger: Ledger, name: string, error: string): Promise<unknown> {
  try {
    await ledger.stepFinished(name, 'failed', error);
    return undefined;
  } catch (ledgerError) {
    return ledgerError;
  }
}

export async function executeStep(
  step: Step,
  ledger: Ledger,
  io: StepIo,
  options: ExecuteOptions,
): Promise<StepOutcome> {
  const clean = (text: string) => redactText(text, options.secrets);
  const attempts = 1 + (step.retries ?? 0);
  let started = false;
  for (let attempt = 1; ; attempt++) {
    try {
      if (io.signal.aborted) throw new InterruptedError();
      // The postcondition is checked before every attempt: a failed attempt may still have done the work.
      const reason = await step.satisfied(io);
      if (reason !== undefined) {
        const previous = ledger.step(step.name)?.state;
        if (started) await ledger.stepFinished(step.name, 'done');
        else if (previous !== 'done' && previous !== 'skipped')
          await ledger.stepFinished(step.name, 'skipped');
        return started ? { state: 'done', note: reason } : { state: 'skipped', reason };
      }
      if (!started) await ledger.stepStarted(step.name);
      started = true;
      const note = await step.run(io);
      await ledger.stepFinished(step.name, 'done');
      return note ? { state: 'done', note } : { state: 'done' };
    } catch (error) {
      const interrupted = error instanceof InterruptedError || io.signal.aborted;
      if (!interrupted && !isPermanent(error) && attempt < attempts) {
        io.report(`attempt ${attempt} failed (${clean(errorMessage(error).split('\n')[0] ?? '')}); retrying`);
        try {
          await sleep(options.retryDelayMs ?? 2000, io.signal);
        } catch (sleepError) {
          const ledgerError = await recordFailure(ledger, step.name, 'interrupted');
          throw stepFailure(step, sleepError, options, clean, ledgerError);
        }
        continue;
      }
      const ledgerError = await recordFailure(
        ledger,
        step.name,
        interrupted ? 'interrupted' : clean(errorMessage(error)),
      );
      throw stepFailure(step, interrupted ? new InterruptedError() : error, options, clean, ledgerError);
    }
  }
}

function stepFailure(
  step: Step,
  error: unknown,
  options: ExecuteOptions,
  clean: (text: string) => string,
  ledgerError?: unknown,
): LxdstackError {
  // The same ledger failure twice (the step's write, then recording the failure) is said once.
  const ledgerNote =
    ledgerError !== undefined && !(error instanceof LedgerWriteError)
      ? [`The ledger could not record this failure: ${clean(errorMessage(ledgerError))}`]
      : [];
  if (error instanceof InterruptedError) {
    return new InterruptedError(
      `Interrupted during "${step.title}"; run \`${options.resumeCommand}\` to resume from this step.${ledgerNote.length ? ` ${ledgerNote[0]}` : ''}`,
    );
  }
  if (error instanceof LxdstackError && error.exitCode !== 1) {
    return ledgerNote.length
      ? new LxdstackError(error.message, {
          exitCode: error.exitCode,
          details: [...error.details, ...ledgerNote],
          cause: error,
        })
      : error;
  }
  const cause = clean(errorMessage(error).trim()).replace(/\.$/, '');
  const advice = step.advice?.(error);
  return new JobError(`Step "${step.title}" failed: ${cause}.`, {
    details: [
      ...(error instanceof LxdstackError ? error.details.map(clean) : []),
      ...ledgerNote,
      ...(advice ? [`Next: ${clean(advice)}`] : []),
      `Then run \`${options.resumeCommand}\` to resume from this step.`,
    ],
    cause: error,
  });
}
