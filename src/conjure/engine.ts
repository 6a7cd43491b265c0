import { stripVTControlCharacters } from 'node:util';
import { JobError } from '../util/errors.js';
import { describeCommand } from '../util/run.js';
import { localRunner, type CommandRunner } from '../util/runner.js';

// The conjure-up engine: the headless form `conjure-up <spell-folder> <cloud> <controller> <model>` run
// through the process runner, its `[info]`/`[error]` lines turned into progress as they arrive.

export interface ConjureProgress {
  level: 'info' | 'warning' | 'error';
  message: string;
  phase:
    | 'summon'
    | 'bootstrap'
    | 'model'
    | 'deploy'
    | 'deployed'
    | 'relations'
    | 'wait'
    | 'done'
    | 'error'
    | 'other';
  application?: string;
}

const LINE = /^\[(info|warning|error)\]\s+(.*?)\s*$/;

/** One line of conjure-up's headless output → progress; undefined for lines that are not log lines. Pure. */
export function parseConjureLine(line: string): ConjureProgress | undefined {
  // conjure-up colours its prefixes; a captured log may still carry the escapes.
  const match = LINE.exec(stripVTControlCharacters(line).trim());
  if (!match) return undefined;
  const level = match[1] as ConjureProgress['level'];
  const message = match[2]!;
  if (level === 'error') return { level, message, phase: 'error' };
  const deploying = /^Deploying ([a-z][a-z0-9-]*)\.\.\.$/.exec(message);
  if (deploying) return { level, message, phase: 'deploy', application: deploying[1] };
  const deployed = /^([a-z][a-z0-9-]*): deployed, installing\.$/.exec(message);
  if (deployed) return { level, message, phase: 'deployed', application: deployed[1] };
  const phase: ConjureProgress['phase'] = /^Summoning /.test(message)
    ? 'summon'
    : /^Bootstrap/.test(message)
      ? 'bootstrap'
      : /Juju model/.test(message)
        ? 'model'
        : /relations/.test(message)
          ? 'relations'
          : /^Waiting for/.test(message)
            ? 'wait'
            : /complete\.$/.test(message)
              ? 'done'
              : 'other';
  return { level, message, phase };
}

export interface SpellRun {
  spellDir: string;
  cloud: string;
  controller: string;
  model: string;
}

export function conjureArgv(run: SpellRun): string[] {
  return [run.spellDir, run.cloud, run.controller, run.model];
}

export interface ConjureEngineOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Default: $LXDSTACK_CONJURE_UP, else `conjure-up` on PATH. */
  executable?: string;
  /** A whole OpenStack deployment; default 3 hours, as conjure-up itself waits for the applications. */
  timeoutMs?: number;
  /** Where conjure-up runs: this host by default, or inside the nested layout's outer container. */
  runner?: CommandRunner;
}

export interface ConjureEngine {
  /** Deploy the spell headless; `onProgress` gets every log line as it arrives. */
  deploySpell(
    run: SpellRun & { onProgress?: (line: string, progress?: ConjureProgress) => void },
  ): Promise<void>;
  describe(run: SpellRun): string;
}

export function createConjureEngine(options: ConjureEngineOptions = {}): ConjureEngine {
  const env = options.env ?? process.env;
  const executable = options.executable ?? env.LXDSTACK_CONJURE_UP ?? 'conjure-up';
  return {
    describe: (run) => describeCommand(executable, conjureArgv(run)),
    async deploySpell(run) {
      let pending = '';
      const errors: string[] = [];
      const emit = (line: string) => {
        const progress = parseConjureLine(line);
        if (progress?.level === 'error') errors.push(progress.message);
        run.onProgress?.(line, progress);
      };
      const runner = options.runner ?? localRunner;
      const spellDir = await runner.stage(run.spellDir);
      const result = await runner.run(executable, conjureArgv({ ...run, spellDir }), {
        timeoutMs: options.timeoutMs ?? 3 * 60 * 60_000,
        timeoutHint:
          'Check `juju status` for what is still pending; conjure-up can be run again on the same model.',
        env: { ...env },
        signal: options.signal,
        onStdout: (chunk) => {
          const lines = (pending + chunk).split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) emit(line);
        },
      });
      if (pending.trim() !== '') emit(pending);
      if (result.exitCode !== 0) {
        const reason = errors.at(-1) ?? result.stderr.trim().split('\n').pop() ?? 'no error message';
        throw new JobError(
          `\`${result.command}\` failed (exit ${result.exitCode}): ${reason}. ${
            result.exitCode === 127
              ? 'Install conjure-up, or use the juju engine (engine: juju in lab.yaml).'
              : 'Read `juju status` and `juju debug-log` for the failing application, fix it, then deploy again.'
          }`,
          { details: errors.slice(0, -1) },
        );
      }
    },
  };
}
