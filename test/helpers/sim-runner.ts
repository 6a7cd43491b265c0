import { basename } from 'node:path';
import { runSimConjureUp } from '../../src/sim/conjure-cli.js';
import type { SimIo } from '../../src/sim/juju/context.js';
import { runSimJuju } from '../../src/sim/juju/dispatch.js';
import { InterruptedError, TimeoutError } from '../../src/util/errors.js';
import { describeCommand } from '../../src/util/run.js';
import { localRunner, type CommandRunner } from '../../src/util/runner.js';

// The simulator's `juju` and `conjure-up` in this process, behind the same CommandRunner seam the real
// executables are run through: the same argv, environment, output and exit codes, without a Node start
// per call. For tests of flows that need no process of their own; hang faults need real processes
// (their group kill is what such tests check), so they stay with the spawned CLI.

const PLAYERS: Record<
  string,
  (argv: readonly string[], env: NodeJS.ProcessEnv, io: SimIo) => Promise<number>
> = {
  juju: runSimJuju,
  'conjure-up': runSimConjureUp,
};

export const simulatorRunner: CommandRunner = {
  async run(file, args, options) {
    const play = PLAYERS[basename(file)];
    if (!play) throw new Error(`the in-process simulator plays juju and conjure-up, not ${file}`);
    if (options.signal?.aborted) throw new InterruptedError();
    const command = describeCommand(file, args, options.secrets);
    const started = Date.now();
    let stdout = '';
    let stderr = '';
    const io: SimIo = {
      stdout: (text) => {
        stdout += text;
        options.onStdout?.(text);
      },
      stderr: (text) => (stderr += text),
      ...(options.input !== undefined ? { answer: options.input } : {}),
    };
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TimeoutError(`\`${command}\``, options.timeoutMs, options.timeoutHint ?? '')),
        options.timeoutMs,
      );
      onAbort = () => reject(new InterruptedError());
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const exitCode = await Promise.race([play(args, options.env ?? process.env, io), stopped]);
      return { command, exitCode, stdout, stderr, durationMs: Date.now() - started };
    } finally {
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    }
  },
  stage: localRunner.stage,
  withPrivateFile: localRunner.withPrivateFile,
};
