import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The file the wizard writes and every command reads by default. */
export const DEFAULT_ANSWERS_FILE = 'lab.yaml';

/** Where a lab keeps its rendered files, ledger, lock and secrets: `.lxdstack/<lab>/` beside lab.yaml. */
export function labDir(cwd: string, labName: string): string {
  return join(resolve(cwd), '.lxdstack', labName);
}

export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

/** The package root (templates/, bundles/ live there), from a module inside src/ or dist/src/. */
export function packageRoot(moduleUrl: string): string {
  const path = new URL(moduleUrl).pathname;
  const marker = path.lastIndexOf('/src/');
  const base = path.slice(0, marker);
  return base.endsWith('/dist') ? base.slice(0, -'/dist'.length) : base;
}
