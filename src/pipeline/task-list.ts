import { LISTR_LOGGER_STDERR_LEVELS, Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { CommandContext } from '../util/context.js';
import type { Ledger } from '../state/ledger.js';
import { executeStep, type ExecuteOptions, type Step, type StepOutcome } from './steps.js';

// The listr2 task graph of a lifecycle command: the default renderer on a terminal, the simple renderer
// (one line per event) without one or in CI. Prompts never happen in here: commands ask before.

export interface StepResult {
  step: Step;
  outcome: StepOutcome;
}

/** The steps' results as data (for --json): name, title, done or skipped, and the note or the reason. */
export function stepRecords(results: readonly StepResult[]) {
  return results.map(({ step, outcome }) => ({
    name: step.name,
    title: step.title,
    state: outcome.state,
    ...(outcome.state === 'skipped'
      ? { detail: outcome.reason }
      : outcome.note
        ? { detail: outcome.note }
        : {}),
  }));
}

export function useDefaultRenderer(ctx: CommandContext): boolean {
  return ctx.interactive && !ctx.env.CI;
}

/** Run the steps in order through listr2; the first failure stops the list and is rethrown as is. */
export async function runStepList(
  steps: readonly Step[],
  ledger: Ledger,
  ctx: CommandContext,
  options: ExecuteOptions,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const logger = new ListrLogger({
    useIcons: true,
    toStderr: LISTR_LOGGER_STDERR_LEVELS,
    processOutput: new ProcessOutput(ctx.stdout as NodeJS.WriteStream, ctx.stderr as NodeJS.WriteStream),
  });
  let failure: unknown;
  const list = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_: unknown, task: { output: string; skip(message?: string): void; title: string }) => {
        try {
          const outcome = await executeStep(
            step,
            ledger,
            { signal: ctx.signal, report: (line) => (task.output = line) },
            options,
          );
          results.push({ step, outcome });
          if (outcome.state === 'skipped') task.skip(outcome.reason);
          else if (outcome.note) task.title = `${step.title}: ${outcome.note}`;
        } catch (error) {
          failure = error;
          throw error;
        }
      },
    })),
    {
      renderer: useDefaultRenderer(ctx) ? 'default' : 'simple',
      fallbackRenderer: 'simple',
      fallbackRendererCondition: !useDefaultRenderer(ctx),
      registerSignalListeners: false,
      exitOnError: true,
      rendererOptions: { logger },
      fallbackRendererOptions: { logger },
    },
  );
  try {
    await list.run();
  } catch (error) {
    throw failure ?? error;
  }
  return results;
}
