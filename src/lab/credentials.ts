import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { registerSecret, registerUrlCredentials } from '../util/redact.js';
import type { LabSpec } from './schema.js';

export const ADMIN_PASSWORD_FILE = 'admin-password';

export function adminPasswordPath(labDirectory: string): string {
  return join(labDirectory, ADMIN_PASSWORD_FILE);
}

/** The spec's secrets join the process's redaction set: the admin password and proxy credentials. */
export function registerSpecSecrets(spec: Pick<LabSpec, 'adminPassword' | 'proxy'>): void {
  registerSecret(spec.adminPassword);
  registerUrlCredentials(spec.proxy.http);
  registerUrlCredentials(spec.proxy.https);
}

/** The lab's admin password as it is now (the spec's, else the generated one), without creating one. */
export async function readAdminPassword(spec: LabSpec, labDirectory: string): Promise<string | undefined> {
  if (spec.adminPassword !== undefined) return spec.adminPassword;
  try {
    const existing = (await readFile(adminPasswordPath(labDirectory), 'utf8')).trim();
    if (existing.length >= 8) {
      registerSecret(existing);
      return existing;
    }
  } catch {
    // none yet
  }
  return undefined;
}

/**
 * The Keystone admin password: the spec's, else the one generated for this lab earlier, else a new one
 * written to .lxdstack/<lab>/admin-password (0600). Never printed. Only `deploy` calls this, under the
 * lab's lock: every other command reads with readAdminPassword and creates nothing.
 */
export async function resolveAdminPassword(spec: LabSpec, labDirectory: string): Promise<string> {
  const existing = await readAdminPassword(spec, labDirectory);
  if (existing !== undefined) return existing;
  const generated = randomBytes(18).toString('base64url');
  registerSecret(generated);
  await writeFileAtomic(adminPasswordPath(labDirectory), `${generated}\n`, 0o600);
  return generated;
}
