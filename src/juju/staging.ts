import { randomBytes } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { CommandRunner } from '../util/runner.js';
import type { InvokingUser } from '../util/snap.js';

// Juju 3.x from the snap is strictly confined: it reads the bundle, overlays, settings and params files
// only from non-hidden folders of the user's home. This runner stages them there: `stage` copies a file
// of the lab folder (keeping its mode, so the bundle with the admin password stays 0600) and
// `withPrivateFile` writes its 0600 file there and removes it after use.

export interface StagingOptions {
  /** The staging folder (util/snap.ts `stagingDirectory`). */
  dir: string;
  /** Files are staged under their path relative to this folder (the lab's), else by name. */
  labDirectory: string;
  /** When run through sudo, the staged files are the invoking user's. */
  owner?: Pick<InvokingUser, 'uid' | 'gid'>;
}

export function stagingRunner(base: CommandRunner, options: StagingOptions): CommandRunner {
  const { dir, owner } = options;
  const own = async (path: string) => {
    if (owner?.uid !== undefined && owner.gid !== undefined) await chown(path, owner.uid, owner.gid);
  };
  const ensureDir = async (path: string) => {
    await mkdir(path, { recursive: true, mode: 0o700 });
    for (let at = path; at.startsWith(dir); at = dirname(at)) await own(at);
  };
  return {
    run: (file, args, runOptions) => base.run(file, args, runOptions),
    async stage(localPath) {
      const inside = relative(options.labDirectory, localPath);
      const target = join(dir, inside.startsWith('..') ? basename(localPath) : inside);
      await ensureDir(dirname(target));
      await copyFile(localPath, target);
      await own(target);
      // the mode follows the source's (0600 for the bundle with the admin password)
      await chmod(target, (await stat(localPath)).mode & 0o777);
      return target;
    },
    async withPrivateFile(name, content, use) {
      await ensureDir(dir);
      const path = join(dir, `${randomBytes(4).toString('hex')}-${name}`);
      await writeFile(path, content, { mode: 0o600 });
      await own(path);
      try {
        return await use(path);
      } finally {
        await rm(path, { force: true });
      }
    },
  };
}

/** Remove a lab's staging folder (teardown). */
export async function removeStaging(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
