import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError, TimeoutError, errorMessage } from '../util/errors.js';
import type { EndpointInterface, OpenStackCredentials } from './credentials.js';
import { OpenStackApiError, OpenStackAuthError, describeApiError } from './errors.js';
import { caTransport, fetchTransport, type HttpResponse, type HttpTransport } from './http.js';

// A small typed REST client for Keystone v3, Nova v2.1, Glance v2 and Neutron v2.0: one function per
// call, each with a timeout; reads are retried on connection errors and 502/503/504, writes never.

export interface ClientOptions {
  /** Per call (default 30 s). Image uploads get `uploadTimeoutMs`. */
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  caFile?: string;
  region?: string;
  interface?: EndpointInterface;
  /** Highest compute microversion to ask for; the client uses min(this, the server's maximum). */
  computeMicroversion?: string;
  signal?: AbortSignal;
  /** For tests: replace the HTTP transport. */
  transport?: HttpTransport;
}

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

export interface ComputeService {
  id: string | number;
  binary: string;
  host: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  zone?: string;
}
export interface Hypervisor {
  id: string | number;
  hypervisor_hostname: string;
  hypervisor_type?: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  vcpus?: number;
  memory_mb?: number;
  local_gb?: number;
}
export interface Flavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
}
export interface Keypair {
  name: string;
  fingerprint: string;
  public_key?: string;
}
export interface Server {
  id: string;
  name: string;
  status: string;
  fault?: { message: string; code?: number; details?: string };
  addresses?: Record<string, { addr: string; 'OS-EXT-IPS:type'?: string }[]>;
  'OS-EXT-SRV-ATTR:host'?: string;
}
export interface Image {
  id: string;
  name: string;
  status: string;
  disk_format?: string;
  container_format?: string;
  size?: number | null;
  checksum?: string | null;
  os_hash_algo?: string | null;
  os_hash_value?: string | null;
  visibility?: string;
}
export interface NetworkAgent {
  id: string;
  agent_type: string;
  host: string;
  alive: boolean;
  admin_state_up: boolean;
  binary?: string;
}
export interface Network {
  id: string;
  name: string;
  status?: string;
  'router:external'?: boolean;
  subnets?: string[];
}
export interface Subnet {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  gateway_ip?: string | null;
}
export interface Router {
  id: string;
  name: string;
  external_gateway_info?: { network_id: string } | null;
}
export interface SecurityGroup {
  id: string;
  name: string;
  project_id?: string;
  tenant_id?: string;
}
export interface SecurityGroupRule {
  id: string;
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype?: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
}
export interface FloatingIp {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  port_id?: string | null;
}
export interface Port {
  id: string;
  device_id: string;
  device_owner: string;
  network_id: string;
}

export interface CreateServerInput {
  name: string;
  imageRef: string;
  flavorRef: string;
  /** `none` boots without a port (microversion >= 2.37; the agentless Neutron of the test cloud needs it). */
  networks: 'none' | 'auto' | { uuid: string }[];
  keyName?: string;
  /** Plain text; the client base64-encodes it. */
  userData?: string;
}

type ServiceType = 'identity' | 'compute' | 'image' | 'network';

interface CallOptions {
  body?: unknown;
  raw?: { data: Uint8Array | Readable; contentType: string };
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Statuses that are an answer, not an error (e.g. 404 on a lookup). */
  accept?: number[];
}

const DEFAULT_MICROVERSION = '2.79';
const READ_RETRIES = 2;

function compareMicroversion(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined) as [
    string,
    string | number | boolean,
  ][];
  return entries.length === 0
    ? ''
    : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class OpenStackClient {
  private tokenInfo: TokenInfo | undefined;
  private authInFlight: Promise<TokenInfo> | undefined;
  private microversion: Promise<string> | undefined;
  private readonly timeoutMs: number;
  private readonly uploadTimeoutMs: number;
  readonly region: string | undefined;
  readonly endpointInterface: EndpointInterface;

  constructor(
    readonly credentials: OpenStackCredentials,
    private readonly transport: HttpTransport,
    private readonly options: ClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? 15 * 60_000;
    this.region = options.region ?? credentials.regionName;
    this.endpointInterface = options.interface ?? credentials.interface ?? 'public';
  }

  /** The password, so callers can redact it from anything they print. */
  get secrets(): string[] {
    return [this.credentials.password, ...(this.tokenInfo ? [this.tokenInfo.token] : [])];
  }

  // ------------------------------------------------------------------ transport

  private async send(
    service: string,
    method: string,
    url: string,
    options: CallOptions,
    token?: string,
  ): Promise<HttpResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const signals = [AbortSignal.timeout(timeoutMs), ...(this.options.signal ? [this.options.signal] : [])];
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (token) headers['X-Auth-Token'] = token;
    let body: string | Uint8Array | Readable | undefined;
    if (options.raw) {
      headers['Content-Type'] = options.raw.contentType;
      body = options.raw.data;
    } else if (options.body !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const path = new URL(url).pathname;
    try {
      return await this.transport({
        method,
        url,
        headers,
        signal: AbortSignal.any(signals),
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new TimeoutError(
          `${service} ${method} ${path}`,
          timeoutMs,
          `Check that ${new URL(url).host} is up and reachable.`,
        );
      }
      const cause = (error as { cause?: unknown }).cause;
      throw new OpenStackApiError(
        `${service} ${method} ${path} could not connect (${errorMessage(cause ?? error)}); check that the service at ${new URL(url).host} is running and reachable.`,
        { service, cause: error },
      );
    }
  }

  /** One call; GET/HEAD are retried on connection errors and 502/503/504. */
  private async call<T>(
    service: ServiceType,
    method: string,
    pathOrUrl: string,
    options: CallOptions = {},
  ): Promise<{ status: number; data: T; headers: Record<string, string> }> {
    const base = pathOrUrl.startsWith('http') ? '' : await this.endpoint(service);
    const url = `${base}${pathOrUrl}`;
    const idempotent = method === 'GET' || method === 'HEAD';
    const attempts = idempotent ? READ_RETRIES + 1 : 1;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const token = (await this.authenticate()).token;
      const extra = service === 'compute' ? await this.computeHeaders() : {};
      let response: HttpResponse;
      try {
        response = await this.send(
          service,
          method,
          url,
          { ...options, headers: { ...extra, ...options.headers } },
          token,
        );
      } catch (error) {
        lastError = error;
        if (attempt < attempts && !(error instanceof TimeoutError && this.options.signal?.aborted)) {
          await sleep(300 * attempt, this.options.signal);
          continue;
        }
        throw error;
      }
      if (response.status === 401 && attempt === 1) {
        // the token expired or was revoked: authenticate again, once
        this.tokenInfo = undefined;
        if (!idempotent) {
          const fresh = (await this.authenticate()).token;
          response = await this.send(
            service,
            method,
            url,
            { ...options, headers: { ...extra, ...options.headers } },
            fresh,
          );
        } else {
          continue;
        }
      }
      if (idempotent && [502, 503, 504].includes(response.status) && attempt < attempts) {
        await sleep(300 * attempt, this.options.signal);
        continue;
      }
      if (response.status >= 400 && !(options.accept ?? []).includes(response.status)) {
        throw new OpenStackApiError(
          describeApiError(service, method, new URL(url).pathname, response.status, response.body),
          { service, status: response.status },
        );
      }
      const data = (response.body.trim() === '' ? undefined : JSON.parse(response.body)) as T;
      return { status: response.status, data, headers: response.headers };
    }
    throw lastError;
  }

  // ------------------------------------------------------------------ identity

  /** Keystone v3 password auth scoped to the project; the token and catalog are cached until they expire. */
  async authenticate(): Promise<TokenInfo> {
    if (this.tokenInfo && Date.parse(this.tokenInfo.expiresAt) - Date.now() > 60_000) return this.tokenInfo;
    // concurrent first calls share one token request
    this.authInFlight ??= this.requestToken().finally(() => {
      this.authInFlight = undefined;
    });
    return this.authInFlight;
  }

  private async requestToken(): Promise<TokenInfo> {
    const c = this.credentials;
    const authUrl = c.authUrl.replace(/\/+$/, '').replace(/\/v3$/, '') + '/v3';
    const body = {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } },
        },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
      },
    };
    const response = await this.send('identity', 'POST', `${authUrl}/auth/tokens`, { body });
    if (response.status === 401) {
      throw new OpenStackAuthError(
        `Keystone at ${authUrl} refused the credentials of user "${c.username}" (domain ${c.userDomainName}) for project "${c.projectName}" (HTTP 401); check the user name, password, project and domains.`,
        { service: 'identity', status: 401 },
      );
    }
    if (response.status >= 400) {
      throw new OpenStackApiError(
        describeApiError('identity', 'POST', '/v3/auth/tokens', response.status, response.body),
        { service: 'identity', status: response.status },
      );
    }
    const token = response.headers['x-subject-token'];
    if (!token)
      throw new OpenStackApiError(
        `Keystone at ${authUrl} answered without an X-Subject-Token header; is that URL really Keystone v3?`,
        { service: 'identity' },
      );
    const parsed = JSON.parse(response.body) as {
      token: {
        expires_at: string;
        user: { id: string };
        project?: { id: string };
        roles?: { name: string }[];
        catalog?: CatalogEntry[];
      };
    };
    this.tokenInfo = {
      token,
      expiresAt: parsed.token.expires_at,
      userId: parsed.token.user.id,
      projectId: parsed.token.project?.id ?? '',
      roles: (parsed.token.roles ?? []).map((r) => r.name),
      catalog: parsed.token.catalog ?? [],
    };
    return this.tokenInfo;
  }

  /** The URL of a service from the token's catalog, for the chosen region and interface. */
  async endpoint(type: string): Promise<string> {
    const { catalog } = await this.authenticate();
    const entry = catalog.find((e) => e.type === type);
    if (!entry) {
      throw new OpenStackApiError(
        `The catalog has no ${type} service (it has: ${catalog.map((e) => e.type).join(', ') || 'nothing'}); register its endpoints in Keystone.`,
        { service: type },
      );
    }
    const candidates = entry.endpoints.filter((e) => e.interface === this.endpointInterface);
    const inRegion = this.region
      ? candidates.filter((e) => (e.region_id ?? e.region) === this.region)
      : candidates;
    const chosen = inRegion[0];
    if (!chosen) {
      throw new OpenStackApiError(
        `The catalog has no ${this.endpointInterface} ${type} endpoint${this.region ? ` in region ${this.region}` : ''}; choose another interface or region.`,
        { service: type },
      );
    }
    return chosen.url.replace(/\/+$/, '');
  }

  // ------------------------------------------------------------------ compute

  /** The compute microversion in use: min(requested, the server's maximum); asked once, even by concurrent calls. */
  computeMicroversion(): Promise<string> {
    this.microversion ??= this.negotiateMicroversion().catch((error: unknown) => {
      this.microversion = undefined;
      throw error;
    });
    return this.microversion;
  }

  private async negotiateMicroversion(): Promise<string> {
    const wanted = this.options.computeMicroversion ?? DEFAULT_MICROVERSION;
    const url = await this.endpoint('compute');
    const response = await this.send('compute', 'GET', `${url}/`, {}, (await this.authenticate()).token);
    let max = '2.1';
    if (response.status < 400) {
      const parsed = JSON.parse(response.body) as { version?: { version?: string } };
      max = parsed.version?.version || '2.1';
    }
    return compareMicroversion(wanted, max) <= 0 ? wanted : max;
  }

  private async computeHeaders(): Promise<Record<string, string>> {
    const version = await this.computeMicroversion();
    return { 'OpenStack-API-Version': `compute ${version}`, 'X-OpenStack-Nova-API-Version': version };
  }

  async listComputeServices(): Promise<ComputeService[]> {
    return (await this.call<{ services: ComputeService[] }>('compute', 'GET', '/os-services')).data.services;
  }

  async listHypervisors(): Promise<Hypervisor[]> {
    return (await this.call<{ hypervisors: Hypervisor[] }>('compute', 'GET', '/os-hypervisors/detail')).data
      .hypervisors;
  }

  async listFlavors(): Promise<Flavor[]> {
    return (await this.call<{ flavors: Flavor[] }>('compute', 'GET', '/flavors/detail?is_public=None')).data
      .flavors;
  }

  async createFlavor(input: { name: string; ram: number; vcpus: number; disk: number }): Promise<Flavor> {
    return (await this.call<{ flavor: Flavor }>('compute', 'POST', '/flavors', { body: { flavor: input } }))
      .data.flavor;
  }

  async deleteFlavor(id: string): Promise<void> {
    await this.call('compute', 'DELETE', `/flavors/${encodeURIComponent(id)}`, { accept: [404] });
  }

  async listKeypairs(): Promise<Keypair[]> {
    return (
      await this.call<{ keypairs: { keypair: Keypair }[] }>('compute', 'GET', '/os-keypairs')
    ).data.keypairs.map((k) => k.keypair);
  }

  async createKeypair(input: { name: string; publicKey: string }): Promise<Keypair> {
    return (
      await this.call<{ keypair: Keypair }>('compute', 'POST', '/os-keypairs', {
        body: { keypair: { name: input.name, public_key: input.publicKey } },
      })
    ).data.keypair;
  }

  async deleteKeypair(name: string): Promise<void> {
    await this.call('compute', 'DELETE', `/os-keypairs/${encodeURIComponent(name)}`, { accept: [404] });
  }

  async createServer(input: CreateServerInput): Promise<{ id: string }> {
    const version = await this.computeMicroversion();
    const server: Record<string, unknown> = {
      name: input.name,
      imageRef: input.imageRef,
      flavorRef: input.flavorRef,
    };
    // before 2.37 `networks` is optional and must be a list; `none`/`auto` are 2.37+
    if (typeof input.networks !== 'string' || compareMicroversion(version, '2.37') >= 0)
      server.networks = input.networks;
    if (input.keyName) server.key_name = input.keyName;
    if (input.userData !== undefined)
      server.user_data = Buffer.from(input.userData, 'utf8').toString('base64');
    return (await this.call<{ server: { id: string } }>('compute', 'POST', '/servers', { body: { server } }))
      .data.server;
  }

  /** The server, or undefined once it is gone (404). */
  async getServer(id: string): Promise<Server | undefined> {
    const result = await this.call<{ server: Server }>(
      'compute',
      'GET',
      `/servers/${encodeURIComponent(id)}`,
      { accept: [404] },
    );
    return result.status === 404 ? undefined : result.data.server;
  }

  /** Servers whose name matches the regular expression `nameRegex` (Nova filters by regex). */
  async listServers(nameRegex?: string): Promise<{ id: string; name: string }[]> {
    return (
      await this.call<{ servers: { id: string; name: string }[] }>(
        'compute',
        'GET',
        `/servers${query({ name: nameRegex })}`,
      )
    ).data.servers;
  }

  async deleteServer(id: string): Promise<void> {
    await this.call('compute', 'DELETE', `/servers/${encodeURIComponent(id)}`, { accept: [404] });
  }

  async getConsoleOutput(id: string, length?: number): Promise<string> {
    const body = { 'os-getConsoleOutput': length === undefined ? {} : { length } };
    return (
      (
        await this.call<{ output: string }>('compute', 'POST', `/servers/${encodeURIComponent(id)}/action`, {
          body,
        })
      ).data.output ?? ''
    );
  }

  // ------------------------------------------------------------------ image

  async listImages(filter: { name?: string; status?: string } = {}): Promise<Image[]> {
    return (
      await this.call<{ images: Image[] }>('image', 'GET', `/v2/images${query({ ...filter, limit: 1000 })}`)
    ).data.images;
  }

  async getImage(id: string): Promise<Image | undefined> {
    const result = await this.call<Image>('image', 'GET', `/v2/images/${encodeURIComponent(id)}`, {
      accept: [404],
    });
    return result.status === 404 ? undefined : result.data;
  }

  async createImage(input: {
    name: string;
    diskFormat: string;
    containerFormat: string;
    visibility?: string;
    properties?: Record<string, string>;
  }): Promise<Image> {
    const body = {
      name: input.name,
      disk_format: input.diskFormat,
      container_format: input.containerFormat,
      visibility: input.visibility ?? 'public',
      ...input.properties,
    };
    return (await this.call<Image>('image', 'POST', '/v2/images', { body })).data;
  }

  async uploadImageData(id: string, data: Uint8Array | Readable): Promise<void> {
    await this.call('image', 'PUT', `/v2/images/${encodeURIComponent(id)}/file`, {
      raw: { data, contentType: 'application/octet-stream' },
      timeoutMs: this.uploadTimeoutMs,
    });
  }

  async deleteImage(id: string): Promise<void> {
    await this.call('image', 'DELETE', `/v2/images/${encodeURIComponent(id)}`, { accept: [404] });
  }

  // ------------------------------------------------------------------ network

  async listAgents(): Promise<NetworkAgent[]> {
    return (await this.call<{ agents: NetworkAgent[] }>('network', 'GET', '/v2.0/agents')).data.agents;
  }

  async listNetworks(filter: { name?: string; external?: boolean } = {}): Promise<Network[]> {
    return (
      await this.call<{ networks: Network[] }>(
        'network',
        'GET',
        `/v2.0/networks${query({ name: filter.name, 'router:external': filter.external })}`,
      )
    ).data.networks;
  }

  async createNetwork(input: {
    name: string;
    external?: boolean;
    providerNetworkType?: string;
    providerPhysicalNetwork?: string;
    shared?: boolean;
  }): Promise<Network> {
    const network: Record<string, unknown> = { name: input.name, admin_state_up: true };
    if (input.external !== undefined) network['router:external'] = input.external;
    if (input.shared !== undefined) network.shared = input.shared;
    if (input.providerNetworkType) network['provider:network_type'] = input.providerNetworkType;
    if (input.providerPhysicalNetwork) network['provider:physical_network'] = input.providerPhysicalNetwork;
    return (await this.call<{ network: Network }>('network', 'POST', '/v2.0/networks', { body: { network } }))
      .data.network;
  }

  async deleteNetwork(id: string): Promise<void> {
    await this.call('network', 'DELETE', `/v2.0/networks/${encodeURIComponent(id)}`, { accept: [404] });
  }

  async listSubnets(filter: { name?: string; networkId?: string } = {}): Promise<Subnet[]> {
    return (
      await this.call<{ subnets: Subnet[] }>(
        'network',
        'GET',
        `/v2.0/subnets${query({ name: filter.name, network_id: filter.networkId })}`,
      )
    ).data.subnets;
  }

  async createSubnet(input: {
    name: string;
    networkId: string;
    cidr: string;
    gatewayIp?: string | null;
    enableDhcp?: boolean;
    dnsNameservers?: string[];
    allocationPools?: { start: string; end: string }[];
  }): Promise<Subnet> {
    const subnet: Record<string, unknown> = {
      name: input.name,
      network_id: input.networkId,
      cidr: input.cidr,
      ip_version: 4,
    };
    if (input.gatewayIp !== undefined) subnet.gateway_ip = input.gatewayIp;
    if (input.enableDhcp !== undefined) subnet.enable_dhcp = input.enableDhcp;
    if (input.dnsNameservers) subnet.dns_nameservers = input.dnsNameservers;
    if (input.allocationPools) subnet.allocation_pools = input.allocationPools;
    return (await this.call<{ subnet: Subnet }>('network', 'POST', '/v2.0/subnets', { body: { subnet } }))
      .data.subnet;
  }

  async deleteSubnet(id: string): Promise<void> {
    await this.call('network', 'DELETE', `/v2.0/subnets/${encodeURIComponent(id)}`, { accept: [404] });
  }

  async listRouters(filter: { name?: string } = {}): Promise<Router[]> {
    return (
      await this.call<{ routers: Router[] }>('network', 'GET', `/v2.0/routers${query({ name: filter.name })}`)
    ).data.routers;
  }

  async createRouter(input: { name: string; externalNetworkId?: string }): Promise<Router> {
    const router: Record<string, unknown> = { name: input.name, admin_state_up: true };
    if (input.externalNetworkId) router.external_gateway_info = { network_id: input.externalNetworkId };
    return (await this.call<{ router: Router }>('network', 'POST', '/v2.0/routers', { body: { router } }))
      .data.router;
  }

  async addRouterInterface(routerId: string, subnetId: string): Promise<void> {
    await this.call('network', 'PUT', `/v2.0/routers/${encodeURIComponent(routerId)}/add_router_interface`, {
      body: { subnet_id: subnetId },
    });
  }

  async removeRouterInterface(routerId: string, subnetId: string): Promise<void> {
    await this.call(
      'network',
      'PUT',
      `/v2.0/routers/${encodeURIComponent(routerId)}/remove_router_interface`,
      { body: { subnet_id: subnetId }, accept: [404] },
    );
  }

  async deleteRouter(id: string): Promise<void> {
    await this.call('network', 'DELETE', `/v2.0/routers/${encodeURIComponent(id)}`, { accept: [404] });
  }

  async listPorts(filter: { deviceId?: string; networkId?: string } = {}): Promise<Port[]> {
    return (
      await this.call<{ ports: Port[] }>(
        'network',
        'GET',
        `/v2.0/ports${query({ device_id: filter.deviceId, network_id: filter.networkId })}`,
      )
    ).data.ports;
  }

  async listSecurityGroups(filter: { name?: string; projectId?: string } = {}): Promise<SecurityGroup[]> {
    return (
      await this.call<{ security_groups: SecurityGroup[] }>(
        'network',
        'GET',
        `/v2.0/security-groups${query({ name: filter.name, project_id: filter.projectId })}`,
      )
    ).data.security_groups;
  }

  async listSecurityGroupRules(securityGroupId: string): Promise<SecurityGroupRule[]> {
    return (
      await this.call<{ security_group_rules: SecurityGroupRule[] }>(
        'network',
        'GET',
        `/v2.0/security-group-rules${query({ security_group_id: securityGroupId })}`,
      )
    ).data.security_group_rules;
  }

  async createSecurityGroupRule(input: {
    securityGroupId: string;
    protocol: string;
    portMin?: number;
    portMax?: number;
    remoteIpPrefix?: string;
  }): Promise<SecurityGroupRule> {
    const rule: Record<string, unknown> = {
      security_group_id: input.securityGroupId,
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: input.protocol,
    };
    if (input.portMin !== undefined) rule.port_range_min = input.portMin;
    if (input.portMax !== undefined) rule.port_range_max = input.portMax;
    if (input.remoteIpPrefix) rule.remote_ip_prefix = input.remoteIpPrefix;
    return (
      await this.call<{ security_group_rule: SecurityGroupRule }>(
        'network',
        'POST',
        '/v2.0/security-group-rules',
        { body: { security_group_rule: rule } },
      )
    ).data.security_group_rule;
  }

  async deleteSecurityGroupRule(id: string): Promise<void> {
    await this.call('network', 'DELETE', `/v2.0/security-group-rules/${encodeURIComponent(id)}`, {
      accept: [404],
    });
  }

  async createFloatingIp(input: { floatingNetworkId: string; portId?: string }): Promise<FloatingIp> {
    const floatingip: Record<string, unknown> = { floating_network_id: input.floatingNetworkId };
    if (input.portId) floatingip.port_id = input.portId;
    return (
      await this.call<{ floatingip: FloatingIp }>('network', 'POST', '/v2.0/floatingips', {
        body: { floatingip },
      })
    ).data.floatingip;
  }

  async listFloatingIps(filter: { floatingNetworkId?: string } = {}): Promise<FloatingIp[]> {
    return (
      await this.call<{ floatingips: FloatingIp[] }>(
        'network',
        'GET',
        `/v2.0/floatingips${query({ floating_network_id: filter.floatingNetworkId })}`,
      )
    ).data.floatingips;
  }

  async deleteFloatingIp(id: string): Promise<void> {
    await this.call('network', 'DELETE', `/v2.0/floatingips/${encodeURIComponent(id)}`, { accept: [404] });
  }
}

/** A client for the cloud these credentials open; nothing is sent until the first call. */
export async function createOpenStackClient(
  credentials: OpenStackCredentials,
  options: ClientOptions = {},
): Promise<OpenStackClient> {
  let transport = options.transport ?? fetchTransport;
  const caFile = options.caFile ?? credentials.caFile;
  if (!options.transport && caFile) {
    let ca: string;
    try {
      ca = await readFile(caFile, 'utf8');
    } catch (error) {
      throw new InputError(
        `The CA file ${caFile} cannot be read (${errorMessage(error)}); pass the PEM file of the CA that signed the endpoints.`,
      );
    }
    transport = caTransport(ca);
  }
  return new OpenStackClient(credentials, transport, options);
}
