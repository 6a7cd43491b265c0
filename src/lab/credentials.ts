import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import type { LabSpec } from './schema.js';

export const ADMIN_PASSWORD_FILE = 'admin-password';

export function adminPasswordPath(labDirectory: string): string {
  return join(labDirectory, ADMIN_PASSWORD_FILE);
}

/**
 * The Keystone admin password: the spec's, else the one generated for this lab earlier, else a new one
 * written to .lxdstack/<lab>/admin-password (0600). Never printed.
 */
export async function resolveAdminPassword(spec: LabSpec, labDirectory: string): Promise<string> {
  if (spec.adminPassword !== undefined) return spec.adminPassword;
  const path = adminPasswordPath(labDirectory);
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (existing.length >= 8) return existing;
  } catch {
    // none yet
  }
  const generated = randomBytes(18).toString('base64url');
  await writeFileAtomic(path, `${generated}\n`, 0o600);
  return generated;
}
