import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, delimiter, isAbsolute, join, relative, sep } from 'node:path';

// Strictly confined snaps (Juju 3.x from the snap store) read files only through the `home` interface:
// non-hidden files under the user's home. A hidden folder in home (~/.lxdstack), anything outside home,
// and /tmp (the snap gets a private /tmp) are out of its reach. These helpers tell whether a tool is such
// a snap and where files it must read can go.

const FILE_TIMEOUT_MS = 2_000;

export interface InvokingUser {
  home: string;
  /** Set when lxdstack runs as root through sudo: files staged for the user are handed to them. */
  uid?: number;
  gid?: number;
}

/** The user who invoked lxdstack: SUDO_USER (from /etc/passwd) when run with sudo, else HOME. */
export async function invokingUser(env: NodeJS.ProcessEnv): Promise<InvokingUser> {
  const sudoUser = env.SUDO_USER;
  if (sudoUser && sudoUser !== 'root' && process.getuid?.() === 0) {
    const passwd = await readFile('/etc/passwd', {
      encoding: 'utf8',
      signal: AbortSignal.timeout(FILE_TIMEOUT_MS),
    }).catch(() => '');
    const fields = passwd
      .split('\n')
      .map((line) => line.split(':'))
      .find((f) => f[0] === sudoUser);
    if (fields && fields[5]) return { home: fields[5], uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  return { home: env.HOME || homedir() };
}

/** Why a strict snap cannot read `path` (with `home` its user's home), or undefined when it can. Pure. */
export function snapHomeProblem(path: string, home: string): string | undefined {
  const inside = relative(home, path);
  if (isAbsolute(path) && inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) {
    const hidden = inside.split(sep).find((part) => part.startsWith('.'));
    return hidden
      ? `${path} is in the hidden folder ${hidden} of ${home}, which a strictly confined snap cannot read`
      : undefined;
  }
  if (path === '/tmp' || path.startsWith('/tmp/'))
    return `${path} is in /tmp, which a strictly confined snap sees as its own private /tmp`;
  return `${path} is outside ${home}, the only place a strictly confined snap reads files`;
}

/** Where the files juju must read are staged for a lab: a non-hidden folder of the user's home. */
export function stagingDirectory(home: string, lab: string, labDirectory: string): string {
  // two labs of the same name in different folders get different staging folders
  const tag = createHash('sha256').update(labDirectory).digest('hex').slice(0, 8);
  return join(home, 'lxdstack-staging', `${lab}-${tag}`);
}

/** The executable `name` resolves to on PATH (or the path itself when it has a slash). */
export async function resolveOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (name.includes('/')) return name;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Whether the executable is a strictly confined snap: a /snap/bin/<name> command whose snap.yaml says
 * `confinement: strict` (Juju 3.x; Juju 2.9's snap is classic). Unreadable metadata counts as strict:
 * staging in home works for either.
 */
export async function isStrictSnap(executable: string | undefined): Promise<boolean> {
  if (!executable?.startsWith('/snap/bin/')) return false;
  const snap = basename(executable).split('.')[0];
  const meta = await readFile(`/snap/${snap}/current/meta/snap.yaml`, {
    encoding: 'utf8',
    signal: AbortSignal.timeout(FILE_TIMEOUT_MS),
  }).catch(() => undefined);
  const confinement = meta && /^confinement:\s*(\S+)/m.exec(meta)?.[1];
  return confinement === undefined || confinement === 'strict';
}
