import { open, readFile, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';

// One lock per lab: .lxdstack/<lab>/lock holds the holder's pid. A lock whose pid is gone is stale
// (the holder was killed) and is taken over.

export interface LabLock {
  path: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLabLock(labDirectory: string, command: string): Promise<LabLock> {
  await mkdir(labDirectory, { recursive: true });
  const path = join(labDirectory, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() }));
      await handle.close();
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; command?: string } = {};
      try {
        holder = JSON.parse(await readFile(path, 'utf8')) as typeof holder;
      } catch {
        // unreadable: treat as stale
      }
      if (holder.pid !== undefined && holder.pid !== process.pid && alive(holder.pid)) {
        throw new InputError(
          `The lab is locked by another lxdstack (pid ${holder.pid}, running \`${holder.command ?? '?'}\`); wait for it to finish, or stop it.`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new InputError(`Could not take the lab lock ${path}; remove it if no lxdstack is running.`);
}
