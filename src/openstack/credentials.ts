import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { parseYaml, readYamlText } from '../util/yaml.js';
import { pathExists } from '../util/fs.js';

// Where the client's credentials come from: the lab (built by the caller), the standard OS_* variables,
// or a cloud named in clouds.yaml, looked up as the `openstack` CLI (openstacksdk) does.

export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface OpenStackCredentials {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  regionName?: string;
  interface?: EndpointInterface;
  /** PEM file of the CA that signed the endpoints' certificates. */
  caFile?: string;
}

function normaliseInterface(value: string | undefined, source: string): EndpointInterface | undefined {
  if (value === undefined || value === '') return undefined;
  const trimmed = value.replace(/URL$/, '');
  if (trimmed === 'public' || trimmed === 'internal' || trimmed === 'admin') return trimmed;
  throw new InputError(`${source}: interface "${value}" is not one of public, internal, admin.`);
}

function optional<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined || value === '' ? {} : { [key]: value };
}

/** Credentials from OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME (and the domain, region,
 * interface and CA variables), as a sourced novarc/openrc sets them. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): OpenStackCredentials {
  const projectName = env.OS_PROJECT_NAME ?? env.OS_TENANT_NAME;
  const missing = [
    ['OS_AUTH_URL', env.OS_AUTH_URL],
    ['OS_USERNAME', env.OS_USERNAME],
    ['OS_PASSWORD', env.OS_PASSWORD],
    ['OS_PROJECT_NAME', projectName],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new InputError(
      `The OpenStack environment is incomplete: ${missing.join(', ')} not set; source an openrc/novarc file, or pass --os-cloud NAME.`,
    );
  }
  const domain = env.OS_DOMAIN_NAME ?? 'Default';
  return {
    authUrl: env.OS_AUTH_URL!,
    username: env.OS_USERNAME!,
    password: env.OS_PASSWORD!,
    projectName: projectName!,
    userDomainName: env.OS_USER_DOMAIN_NAME ?? env.OS_USER_DOMAIN_ID ?? domain,
    projectDomainName: env.OS_PROJECT_DOMAIN_NAME ?? env.OS_PROJECT_DOMAIN_ID ?? domain,
    ...optional('regionName', env.OS_REGION_NAME),
    ...optional('interface', normaliseInterface(env.OS_INTERFACE ?? env.OS_ENDPOINT_TYPE, 'OS_INTERFACE')),
    ...optional('caFile', env.OS_CACERT),
  };
}

/** The clouds.yaml files openstacksdk reads, in its order: OS_CLIENT_CONFIG_FILE, ./, ~/.config/openstack/, /etc/openstack/. */
export function cloudsYamlCandidates(env: NodeJS.ProcessEnv, cwd: string): string[] {
  const home = env.HOME ?? homedir();
  return [
    ...(env.OS_CLIENT_CONFIG_FILE ? [resolve(cwd, env.OS_CLIENT_CONFIG_FILE)] : []),
    join(cwd, 'clouds.yaml'),
    join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'openstack', 'clouds.yaml'),
    '/etc/openstack/clouds.yaml',
  ];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Credentials of cloud `name` from already-parsed clouds.yaml (and secure.yaml) documents. */
export function credentialsFromCloudsDocument(
  name: string,
  clouds: unknown,
  secure: unknown,
  source: string,
): OpenStackCredentials {
  const entries = asRecord(asRecord(clouds).clouds);
  const cloud = asRecord(entries[name]);
  if (Object.keys(cloud).length === 0) {
    const known = Object.keys(entries);
    throw new InputError(
      `${source} has no cloud named "${name}"${known.length > 0 ? ` (it has: ${known.join(', ')})` : ''}; pass one of those to --os-cloud.`,
    );
  }
  const secret = asRecord(asRecord(asRecord(secure).clouds)[name]);
  const auth = { ...asRecord(cloud.auth), ...asRecord(secret.auth) };
  const get = (key: string): string | undefined => text(auth[key]);
  const missing = ['auth_url', 'username', 'password', 'project_name'].filter(
    (key) => get(key) === undefined && !(key === 'project_name' && get('tenant_name')),
  );
  if (missing.length > 0) {
    throw new InputError(
      `${source}: cloud "${name}" lacks auth.${missing.join(', auth.')}; add them (the password may go in secure.yaml).`,
    );
  }
  const domain = get('domain_name') ?? 'Default';
  return {
    authUrl: get('auth_url')!,
    username: get('username')!,
    password: get('password')!,
    projectName: get('project_name') ?? get('tenant_name')!,
    userDomainName: get('user_domain_name') ?? get('user_domain_id') ?? domain,
    projectDomainName: get('project_domain_name') ?? get('project_domain_id') ?? domain,
    ...optional('regionName', text(cloud.region_name)),
    ...optional('interface', normaliseInterface(text(cloud.interface), `${source}: cloud "${name}"`)),
    ...optional('caFile', text(cloud.cacert)),
  };
}

/** Credentials of cloud `name` from the first clouds.yaml found where the `openstack` CLI looks; its
 * `cacert`, else OS_CACERT, is the CA the client trusts. */
export async function credentialsFromCloudsYaml(
  name: string,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): Promise<OpenStackCredentials> {
  const candidates = cloudsYamlCandidates(env, cwd);
  for (const path of candidates) {
    if (!(await pathExists(path))) continue;
    const credentials = await credentialsFromCloudsFile(name, path);
    // OS_CACERT serves a cloud whose entry names no cacert of its own
    return credentials.caFile || !env.OS_CACERT ? credentials : { ...credentials, caFile: env.OS_CACERT };
  }
  throw new InputError(
    `No clouds.yaml found (looked in ${candidates.join(', ')}); create one or set OS_CLIENT_CONFIG_FILE.`,
  );
}

/** Credentials of cloud `name` from one clouds.yaml file, merged with a secure.yaml beside it. */
export async function credentialsFromCloudsFile(name: string, path: string): Promise<OpenStackCredentials> {
  const clouds = parseYaml(await readYamlText(path, 'clouds.yaml'), path);
  const securePath = join(path, '..', 'secure.yaml');
  const secure = (await pathExists(securePath))
    ? parseYaml(await readYamlText(securePath, 'secure.yaml'), securePath)
    : {};
  return credentialsFromCloudsDocument(name, clouds, secure, path);
}
