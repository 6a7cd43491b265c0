import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adminPasswordPath } from '../lab/credentials.js';
import type { LabSpec } from '../lab/schema.js';
import { InputError } from '../util/errors.js';
import { credentialsFromCloudsFile, type OpenStackCredentials } from './credentials.js';

// A lab's own admin credentials: before configuration, from the Keystone URL the deploy found and the
// lab's admin password; after it, from the clouds.yaml configuration wrote (cloud named after the lab).

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

/** The configured lab's credentials: its clouds.yaml, with the password from the spec or the lab's admin-password file. */
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
  return stored ? { ...credentials, password: stored } : credentials;
}
