import { appendFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { redactText } from './redact.js';

/** Where bug reports (stacks) and debug logs go: $LXDSTACK_LOG_DIR, else ~/.cache/lxdstack. */
export function logDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LXDSTACK_LOG_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lxdstack');
}

/**
 * Append a redacted, timestamped record to a log file (0600, in a 0700 folder). Returns its path, or
 * undefined when it could not be written: a caller never points at a log that does not exist.
 */
export function appendLog(
  fileName: string,
  text: string,
  secrets: readonly string[] = [],
): string | undefined {
  const dir = logDir();
  const path = join(dir, fileName);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    appendFileSync(path, `[${new Date().toISOString()}] ${redactText(text, secrets)}\n`, { mode: 0o600 });
    return path;
  } catch {
    // logging must never turn into the failure
    return undefined;
  }
}
