import { localRunner, type CommandRunner } from '../util/runner.js';
import { invokingUser, isStrictSnap, resolveOnPath, stagingDirectory } from '../util/snap.js';

// Where juju reads the lab's files: as they are for a classic juju (2.9's snap, a deb, the nested layout's
// juju inside the outer container), staged under the invoking user's home for a strictly confined one
// (Juju 3.x from the snap; the simulator plays one when it plays 3.x).

export interface StagingPort {
  /** The staging folder when juju needs one, else undefined. */
  dir(): Promise<string | undefined>;
  /** The runner juju's commands go through: files staged in the folder when there is one. */
  runner(): Promise<CommandRunner>;
  remove(dir: string): Promise<void>;
}

export function stagingPort(input: {
  env: NodeJS.ProcessEnv;
  lab: string;
  labDirectory: string;
  /** A simulated Juju 3.x behaves as the strict snap. */
  simulatedStrict: boolean;
  /** Where juju's commands run (tests pass an in-process one); this host's processes by default. */
  runner?: CommandRunner;
}): StagingPort {
  const base = input.runner ?? localRunner;
  let decided: Promise<{ dir?: string; uid?: number; gid?: number }> | undefined;
  const decide = (): Promise<{ dir?: string; uid?: number; gid?: number }> =>
    (decided ??= (async () => {
      const executable = await resolveOnPath(input.env.LXDSTACK_JUJU || 'juju', input.env);
      const strict = input.simulatedStrict || (await isStrictSnap(executable));
      if (!strict) return {};
      const user = await invokingUser(input.env);
      return { ...user, dir: stagingDirectory(user.home, input.lab, input.labDirectory) };
    })());
  return {
    dir: async () => (await decide()).dir,
    async runner() {
      const { dir, uid, gid } = await decide();
      if (!dir) return base;
      const { stagingRunner } = await import('../juju/staging.js');
      return stagingRunner(base, {
        dir,
        labDirectory: input.labDirectory,
        ...(uid !== undefined && gid !== undefined ? { owner: { uid, gid } } : {}),
      });
    },
    remove: async (dir) => (await import('../juju/staging.js')).removeStaging(dir),
  };
}
