import { isAbsolute, relative, resolve, sep } from 'node:path';
import { SimCommandFailure } from './failure.js';

// Juju 3.x ships as a strictly confined snap: it reads files through the snap's `home` interface only,
// i.e. non-hidden files under the user's real home (juju/juju#13664 makes juju use SNAP_REAL_HOME;
// juju/charm-tools#327: "The strictly confined snap does have access to non-hidden files and directories
// under $HOME"). AppArmor denies everything else, which Go reports as `open <path>: permission denied`
// (the form juju/juju#13664 quotes), and the snap's /tmp is its own private one
// (/tmp/snap-private-tmp/snap.juju/tmp, sosreport/sos#3422), so a file in the host's /tmp simply does not
// exist for it. Juju 2.9 is a classic snap and reads anything.
//
// LXDSTACK_SIM_CONFINEMENT=strict|classic chooses; by default the simulated 3.x is strict and 2.9 classic.
// The simulated home is the juju process's HOME.

export type Confinement = 'strict' | 'classic';

export function confinementOf(env: NodeJS.ProcessEnv, flavour: '2.9' | '3'): Confinement {
  const chosen = env.LXDSTACK_SIM_CONFINEMENT;
  if (chosen === 'strict' || chosen === 'classic') return chosen;
  if (chosen)
    throw new SimCommandFailure(`LXDSTACK_SIM_CONFINEMENT must be "strict" or "classic", got "${chosen}"`);
  return flavour === '3' ? 'strict' : 'classic';
}

/** What the confined snap sees at `path`: readable, absent (its private /tmp) or denied by AppArmor. */
export function snapAccess(
  path: string,
  home: string | undefined,
  confinement: Confinement,
): 'readable' | 'absent' | 'denied' {
  if (confinement === 'classic') return 'readable';
  const absolute = resolve(path);
  // home first: tests give the simulated juju a HOME of its own, which lives in the host's /tmp
  const inside = home === undefined ? undefined : relative(resolve(home), absolute);
  if (inside !== undefined && inside !== '' && !inside.startsWith('..') && !isAbsolute(inside))
    return inside.split(sep).some((part) => part.startsWith('.')) ? 'denied' : 'readable';
  if (absolute === '/tmp' || absolute.startsWith(`/tmp${sep}`)) return 'absent';
  return 'denied';
}

/** The error a confined juju gives when it opens a file it may not read (Go's *PathError text). */
export function confinedOpenError(path: string, access: 'absent' | 'denied'): string {
  return `open ${resolve(path)}: ${access === 'absent' ? 'no such file or directory' : 'permission denied'}`;
}

/** Throw the confined snap's error for a file juju opens directly (`config --file`, `--params`). */
export function assertSnapCanRead(path: string, env: NodeJS.ProcessEnv, confinement: Confinement): void {
  const access = snapAccess(path, env.HOME, confinement);
  if (access !== 'readable') throw new SimCommandFailure(confinedOpenError(path, access));
}
