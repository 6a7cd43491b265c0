import { LISTR_LOGGER_STDERR_LEVELS, Listr, ListrLogger, ProcessOutput } from 'listr2';
import wrapAnsi from 'wrap-ansi';
import type { CommandContext } from '../util/context.js';
import type { Ledger } from '../state/ledger.js';
import { executeStep, type ExecuteOptions, type Step, type StepOutcome } from './steps.js';

// The listr2 task graph of a lifecycle command: the default renderer on a terminal, the simple renderer
// (a plain log, one line per event) without one, in CI, or on a terminal that reports no width. Prompts
// never happen in here: commands ask before. On a terminal, titles and progress lines are wrapped at word
// boundaries to its width (80 when it reports 0), so no renderer breaks a word in two; a log written to
// a file or pipe keeps one line per event, for grep.

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

/** What the terminal reports, or 80 when it reports nothing (a pipe) or 0 (some consoles and CI runners). */
export function terminalWidth(stream: unknown): number {
  const columns = (stream as { columns?: number }).columns;
  return columns !== undefined && columns > 0 ? columns : 80;
}

export function useDefaultRenderer(ctx: CommandContext): boolean {
  // listr2's default renderer lays out by the terminal's width: with none reported it cannot.
  const columns = (ctx.stdout as { columns?: number }).columns ?? 0;
  return ctx.interactive && !ctx.env.CI && columns > 0;
}

/** Word-wrapped to `width` (Infinity: not at all), continuation lines indented under the first. */
function wrapped(text: string, width: number): string {
  if (width === Infinity) return text;
  return wrapAnsi(text, Math.max(20, width), { hard: false, trim: true }).replaceAll('\n', '\n  ');
}

/** Run the steps in order through listr2; the first failure stops the list and is rethrown as is. */
export async function runStepList(
  steps: readonly Step[],
  ledger: Ledger,
  ctx: CommandContext,
  options: ExecuteOptions,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  // listr2 puts an icon and indentation before each title, and more before a progress line.
  const width = ctx.interactive ? terminalWidth(ctx.stdout) : Infinity;
  const title = (text: string) => wrapped(text, width - 4);
  // The plain renderer prints `↓ TITLE [SKIPPED: REASON]` on one line: wrap the whole, keep the reason.
  // (The default renderer shows the reason under the title: collapseSkips is off.)
  const skipReason = (stepTitle: string, reason: string) => {
    const head = `${stepTitle} [SKIPPED: `;
    const line = title(`${head}${reason}]`);
    // a title too long to share its line with the reason: the reason starts on the next line
    return line.startsWith(head) ? line.slice(head.length, -1) : `\n  ${wrapped(reason, width - 4)}`;
  };
  const logger = new ListrLogger({
    useIcons: true,
    toStderr: LISTR_LOGGER_STDERR_LEVELS,
    processOutput: new ProcessOutput(ctx.stdout as NodeJS.WriteStream, ctx.stderr as NodeJS.WriteStream),
  });
  let failure: unknown;
  const list = new Listr(
    steps.map((step) => ({
      title: title(step.title),
      task: async (_: unknown, task: { output: string; skip(message?: string): void; title: string }) => {
        try {
          const outcome = await executeStep(
            step,
            ledger,
            { signal: ctx.signal, report: (line) => (task.output = wrapped(line, width - 8)) },
            options,
          );
          results.push({ step, outcome });
          // A skipped step keeps its name: the reason follows it, never replaces it.
          if (outcome.state === 'skipped') task.skip(skipReason(step.title, outcome.reason));
          else if (outcome.note) task.title = title(`${step.title}: ${outcome.note}`);
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
      rendererOptions: { logger, collapseSkips: false },
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
