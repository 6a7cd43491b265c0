// Child process groups still running, so Ctrl-C can kill them all. Kept apart from run.ts (and execa) so
// the CLI entry can register its signal handlers without loading execa: `--help` stays fast.

const liveGroups = new Set<number>();

export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Kill every child process group still running (the CLI calls this on SIGINT/SIGTERM). */
export function killAllChildren(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const pgid of liveGroups) killGroup(pgid, signal);
}
