import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adminPasswordPath } from '../lab/credentials.js';
import type { LabSpec } from '../lab/schema.js';
import { InputError } from '../util/errors.js';
import { pathExists } from '../util/fs.js';
import { credentialsFromCloudsFile, type OpenStackCredentials } from './credentials.js';

// A lab's own admin credentials: before configuration, from the Keystone URL the deploy found and the
// lab's admin password; after it, from the clouds.yaml configuration wrote (cloud named after the lab).
// Either way the lab's CA (vault's root CA, written by deploy) is trusted once it exists.

/** Where deploy keeps the lab's CA certificate (PEM, from vault's `get-root-ca`). */
export const LAB_CA_FILE = 'ca.pem';

export function labCaPath(labDirectory: string): string {
  return join(labDirectory, LAB_CA_FILE);
}

/** The lab's CA file, once deploy has written one. */
export async function labCaFile(labDirectory: string): Promise<string | undefined> {
  const path = labCaPath(labDirectory);
  return (await pathExists(path)) ? path : undefined;
}

/** The keystone charm's v3 admin: user and project `admin` in domain `admin_domain`. */
export function labAdminCredentials(input: {
  keystoneUrl: string;
  password: string;
  caFile?: string;
}): OpenStackCredentials {
  return {
    authUrl: input.keystoneUrl,
    username: 'admin',
    password: input.password,
    projectName: 'admin',
    userDomainName: 'admin_domain',
    projectDomainName: 'admin_domain',
    ...(input.caFile ? { caFile: input.caFile } : {}),
  };
}

/** The configured lab's credentials: its clouds.yaml, with the password from the spec or the lab's admin-password
 * file, and the lab's CA when it has one (also when clouds.yaml was written before the CA existed). */
export async function configuredLabCredentials(
  spec: Pick<LabSpec, 'name' | 'adminPassword'>,
  labDirectory: string,
): Promise<OpenStackCredentials> {
  const cloudsPath = join(labDirectory, 'clouds.yaml');
  try {
    await access(cloudsPath);
  } catch {
    throw new InputError(
      `Lab ${spec.name} has no ${cloudsPath} yet (the post-deploy configuration writes it); run \`lxdstack deploy\`, or verify another cloud with OS_* variables or --os-cloud NAME.`,
    );
  }
  const credentials = await credentialsFromCloudsFile(spec.name, cloudsPath);
  const stored =
    spec.adminPassword ?? (await readFile(adminPasswordPath(labDirectory), 'utf8').catch(() => '')).trim();
  const caFile = (await labCaFile(labDirectory)) ?? credentials.caFile;
  return { ...credentials, ...(stored ? { password: stored } : {}), ...(caFile ? { caFile } : {}) };
}
