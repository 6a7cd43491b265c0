import type { EndpointInterface, OpenStackCredentials } from './credentials.js';
import { OpenStackApiError } from './errors.js';

// Keystone v3: the password-auth request, the token it answers with, and the catalog lookup. The session
// (session.ts) sends the request and caches the token; this module only builds and reads the messages.

export interface CatalogEndpoint {
  id?: string;
  interface: string;
  region?: string;
  region_id?: string;
  url: string;
}
export interface CatalogEntry {
  type: string;
  name: string;
  endpoints: CatalogEndpoint[];
}
export interface TokenInfo {
  token: string;
  expiresAt: string;
  userId: string;
  projectId: string;
  roles: string[];
  catalog: CatalogEntry[];
}

/** The Keystone v3 base URL, whether the credentials name `.../v3` or the bare service. */
export function identityV3Url(authUrl: string): string {
  return authUrl.replace(/\/+$/, '').replace(/\/v3$/, '') + '/v3';
}

/** The body of POST /v3/auth/tokens: password auth scoped to the project. */
export function passwordAuthRequest(c: OpenStackCredentials): unknown {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } },
      },
      scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
    },
  };
}

export interface TokenBody {
  token: {
    expires_at: string;
    user: { id: string };
    project?: { id: string };
    roles?: { name: string }[];
    catalog?: CatalogEntry[];
  };
}

/** The token from Keystone's answer: the X-Subject-Token header and the parsed body. */
export function tokenInfoOf(token: string, body: TokenBody): TokenInfo {
  return {
    token,
    expiresAt: body.token.expires_at,
    userId: body.token.user.id,
    projectId: body.token.project?.id ?? '',
    roles: (body.token.roles ?? []).map((r) => r.name),
    catalog: body.token.catalog ?? [],
  };
}

/** A token is reused until a minute before it expires. */
export function tokenIsFresh(info: TokenInfo | undefined, now = Date.now()): info is TokenInfo {
  return info !== undefined && Date.parse(info.expiresAt) - now > 60_000;
}

/** The URL of a service from the catalog, for the chosen interface and (if any) region. */
export function catalogEndpoint(
  catalog: readonly CatalogEntry[],
  type: string,
  endpointInterface: EndpointInterface,
  region: string | undefined,
): string {
  const entry = catalog.find((e) => e.type === type);
  if (!entry) {
    throw new OpenStackApiError(
      `The catalog has no ${type} service (it has: ${catalog.map((e) => e.type).join(', ') || 'nothing'}); register its endpoints in Keystone.`,
      { service: type },
    );
  }
  const candidates = entry.endpoints.filter((e) => e.interface === endpointInterface);
  const inRegion = region ? candidates.filter((e) => (e.region_id ?? e.region) === region) : candidates;
  const chosen = inRegion[0];
  if (!chosen) {
    throw new OpenStackApiError(
      `The catalog has no ${endpointInterface} ${type} endpoint${region ? ` in region ${region}` : ''}; choose another interface or region.`,
      { service: type },
    );
  }
  return chosen.url.replace(/\/+$/, '');
}
