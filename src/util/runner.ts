import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type RunOptions, type RunResult } from './run.js';

// Where an engine's commands run. Juju and conjure-up normally run on this host; in the 2016 tutorial's
// layout they run inside the outer container, reached through LXD's exec API (src/lxd/exec-runner.ts).
// The engines are written against this interface, so one client serves both.

export interface CommandRunner {
  run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult>;
  /** The path under which the command can read a local file or folder (copied there if needed). */
  stage(localPath: string): Promise<string>;
  /**
   * Write private content (mode 0600) where the command can read it, call `use` with its path, and
   * remove it afterwards: how secrets and settings reach a command without entering its argv.
   */
  withPrivateFile<T>(name: string, content: string, use: (path: string) => Promise<T>): Promise<T>;
}

export const localRunner: CommandRunner = {
  run: runCommand,
  stage: async (localPath) => localPath,
  async withPrivateFile(name, content, use) {
    const dir = await mkdtemp(join(tmpdir(), 'lxdstack-'));
    try {
      const path = join(dir, name);
      await writeFile(path, content, { mode: 0o600 });
      return await use(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
