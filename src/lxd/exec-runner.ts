import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { describeCommand } from '../util/command-line.js';
import { InterruptedError, TimeoutError } from '../util/errors.js';
import type { CommandRunner } from '../util/runner.js';
import type { LxdClient } from './client.js';
import { LxdApiError } from './transport.js';
import type { LxdExecResult } from './types.js';

// Commands run inside an instance through LXD's exec API: how the 2016 tutorial's layout runs juju and
// conjure-up inside the outer container. No shell: the argv goes to LXD as a list. Files the command
// needs (bundles, the spell folder, private settings) are pushed with LXD's file API first.

/** Where staged files go inside the instance. */
export const STAGE_DIR = '/root/lxdstack';

/** Seconds coreutils' (and busybox's) `timeout` gives the command a TERM before it KILLs it. */
const KILL_AFTER_S = 10;
/** GNU `timeout` exits with 124 when the command ran out of time. */
const TIMED_OUT = 124;

export interface ExecRunnerOptions {
  /** The only environment the command gets (proxies, for example); LXD adds PATH and HOME. */
  env?: Record<string, string>;
  stageDir?: string;
  signal?: AbortSignal;
}

/**
 * A runner whose commands run in `instance`. The time limit is enforced inside the instance by
 * `timeout`, so a command that runs too long is killed there, not left behind when we stop waiting.
 * Output arrives when the command ends (LXD records it), so `onStdout` gets it in one piece.
 */
export function lxdExecRunner(
  client: LxdClient,
  instance: string,
  options: ExecRunnerOptions = {},
): CommandRunner {
  const stageDir = options.stageDir ?? STAGE_DIR;
  const mkdir = async (dir: string) => {
    const result = await client.exec(instance, ['mkdir', '-p', dir], { timeoutMs: 30_000 });
    if (result.exitCode !== 0)
      throw new Error(`cannot create ${dir} in ${instance}: ${result.stderr.trim() || 'mkdir failed'}`);
  };
  const pushTree = async (local: string, remote: string): Promise<void> => {
    const info = await stat(local);
    if (!info.isDirectory()) {
      await client.pushFile(instance, remote, await readFile(local), info.mode & 0o777);
      return;
    }
    await mkdir(remote);
    for (const entry of await readdir(local)) await pushTree(join(local, entry), posix.join(remote, entry));
  };

  return {
    async run(file, args, run) {
      if (run.input !== undefined)
        throw new Error('commands run through LXD exec get no stdin; pass data in a staged file');
      if (run.signal?.aborted || options.signal?.aborted) throw new InterruptedError();
      const seconds = Math.max(1, Math.ceil(run.timeoutMs / 1000));
      const command = `lxc exec ${instance} -- ${describeCommand(file, args, run.secrets)}`;
      const started = Date.now();
      const argv = ['timeout', '-k', String(KILL_AFTER_S), String(seconds), file, ...args];
      let result: LxdExecResult;
      try {
        result = await client.exec(instance, argv, {
          env: options.env ?? {},
          ...(run.cwd ? { cwd: run.cwd } : {}),
          timeoutMs: (seconds + KILL_AFTER_S + 15) * 1000,
        });
      } catch (error) {
        // LXD fails the exec itself when the program is missing; a shell would say 127.
        if (!(error instanceof LxdApiError && /command not found/i.test(error.lxdError))) throw error;
        result = { exitCode: 127, stdout: '', stderr: `${file}: command not found in ${instance}\n` };
      }
      if (run.signal?.aborted || options.signal?.aborted) throw new InterruptedError();
      // GNU timeout exits 124; busybox's passes on the signal's status (TERM 143, KILL 137).
      const killed =
        (result.exitCode === 143 || result.exitCode === 137) && Date.now() - started >= seconds * 1000;
      if (result.exitCode === TIMED_OUT || killed)
        throw new TimeoutError(`\`${command}\``, run.timeoutMs, run.timeoutHint ?? '');
      if (result.stdout) run.onStdout?.(result.stdout);
      return {
        command,
        exitCode: result.exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
        durationMs: Date.now() - started,
      };
    },
    async stage(localPath) {
      const remote = posix.join(stageDir, basename(localPath));
      await mkdir(stageDir);
      await pushTree(localPath, remote);
      return remote;
    },
    async withPrivateFile(name, content, use) {
      const remote = posix.join(stageDir, name);
      await mkdir(stageDir);
      await client.pushFile(instance, remote, content, 0o600);
      try {
        return await use(remote);
      } finally {
        await client.exec(instance, ['rm', '-f', remote], { timeoutMs: 30_000 });
      }
    },
  };
}
