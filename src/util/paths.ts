import { homedir } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file the wizard writes and every command reads by default. */
export const DEFAULT_ANSWERS_FILE = 'lab.yaml';

/** The folder, beside every answers file, that holds the state of the labs those answers describe. */
export const STATE_FOLDER = '.lxdstack';

/**
 * Where a lab keeps its rendered files, ledger, lock and secrets: `.lxdstack/<lab>/` beside its answers
 * file, whatever the current directory, so `-a other/lab.yaml` from anywhere finds the same ledger.
 */
export function labStateDir(answersFile: string, labName: string): string {
  return join(dirname(resolve(answersFile)), STATE_FOLDER, labName);
}

export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

/**
 * A file the lab answers name (sshPublicKey, compute.image.source): `~` is the home folder and a
 * relative path is read beside the answers file, whatever folder lxdstack runs in (`-a DIR/lab.yaml`).
 */
export function pathBesideAnswers(path: string, answersFile: string): string {
  return resolve(dirname(answersFile), expandHome(path));
}

/**
 * The package root (templates/ and bundles/ live there): the nearest folder above the module that holds
 * lxdstack's package.json. Works from src/ (tsx), dist/src/ (tsc) and dist/bin/ (the bundled CLI).
 */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && /"name":\s*"lxdstack"/.test(readFileSync(manifest, 'utf8'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`lxdstack's package.json was not found above ${moduleUrl}`);
    dir = parent;
  }
}
