import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import pMemoize from 'p-memoize';
import { InterruptedError, TimeoutError, errorMessage } from '../util/errors.js';
import type { EndpointInterface, OpenStackCredentials } from './credentials.js';
import {
  OpenStackApiError,
  OpenStackAuthError,
  OpenStackBodyError,
  OpenStackConnectionError,
  describeApiError,
  describeNonJsonBody,
} from './errors.js';
import type { HttpResponse, HttpTransport } from './http.js';
import {
  catalogEndpoint,
  identityV3Url,
  passwordAuthRequest,
  tokenInfoOf,
  tokenIsFresh,
  type TokenBody,
  type TokenInfo,
} from './identity.js';

// The HTTP core under the service modules, as keystoneauth's Session is under the OpenStack SDK: one
// Keystone token shared by every call (renewed on expiry or a 401), the catalog, the compute microversion,
// per-call timeouts, and retries of reads. Every call takes the command's abort signal: once it aborts, the
// request in flight is cancelled, no retry or retry wait follows, and the call fails with InterruptedError.

export type ServiceType = 'identity' | 'compute' | 'image' | 'network';

export interface SessionOptions {
  /** Per call (default 30 s). */
  timeoutMs?: number;
  /** Per image upload (default 15 min). */
  uploadTimeoutMs?: number;
  region?: string;
  interface?: EndpointInterface;
  /** Highest compute microversion to ask for; the session uses min(this, the server's maximum). */
  computeMicroversion?: string;
}

export interface RequestOptions {
  /** A JSON body. */
  json?: unknown;
  /** A raw body, made afresh for each send: a stream read by a send that was refused cannot be sent again. */
  upload?: { contentType: string; body: () => Uint8Array | Readable };
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Statuses that are an answer, not an error (e.g. 404 on a lookup). */
  accept?: number[];
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

/** One service's calls, bound to a signal: the service modules build on this. */
export type ServiceCall = <T = unknown>(
  method: string,
  pathOrUrl: string,
  options?: Omit<RequestOptions, 'signal'>,
) => Promise<ApiResponse<T>>;

const DEFAULT_MICROVERSION = '2.79';
const READ_RETRIES = 2;
const RETRY_STATUSES = new Set([502, 503, 504]);

export function compareMicroversion(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** `?a=1&b=2` of the defined parameters ('' when none). */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]): [string, string] => [k, String(v)]);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

function describeCall(service: string, method: string, url: string): string {
  return `${service} ${method} ${new URL(url).pathname}`;
}

function interrupted(service: string, method: string, url: string): InterruptedError {
  return new InterruptedError(`Interrupted: ${describeCall(service, method, url)} was stopped.`);
}

/** The body of a success answer as JSON (undefined when empty); anything else is a typed error naming it. */
function readJson<T>(service: string, method: string, url: string, response: HttpResponse): T {
  if (response.body.trim() === '') return undefined as T;
  try {
    return JSON.parse(response.body) as T;
  } catch (error) {
    const path = new URL(url).pathname;
    throw new OpenStackBodyError(
      describeNonJsonBody(
        service,
        method,
        path,
        response.status,
        response.headers['content-type'],
        response.body,
      ),
      { service, status: response.status, cause: error },
    );
  }
}

/** Failures worth sending a read again for: no connection, or no answer in time. */
function isTransient(error: unknown): boolean {
  return error instanceof OpenStackConnectionError || error instanceof TimeoutError;
}

export class OpenStackSession {
  private tokenInfo: TokenInfo | undefined;
  private authInFlight: Promise<TokenInfo> | undefined;
  private readonly timeoutMs: number;
  readonly uploadTimeoutMs: number;
  readonly region: string | undefined;
  readonly endpointInterface: EndpointInterface;

  constructor(
    readonly credentials: OpenStackCredentials,
    private readonly transport: HttpTransport,
    private readonly options: SessionOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? 15 * 60_000;
    this.region = options.region ?? credentials.regionName;
    this.endpointInterface = options.interface ?? credentials.interface ?? 'public';
  }

  /** The password and the token, so callers can redact them from anything they print. */
  get secrets(): string[] {
    return [this.credentials.password, ...(this.tokenInfo ? [this.tokenInfo.token] : [])];
  }

  /** The calls of one service, stopped by `signal`. */
  caller(service: ServiceType, signal: AbortSignal | undefined): ServiceCall {
    return (method, pathOrUrl, options = {}) =>
      this.request(service, method, pathOrUrl, { ...options, ...(signal ? { signal } : {}) });
  }

  // ------------------------------------------------------------------ one send

  /** One HTTP exchange with its own deadline; the command's signal and the deadline both cancel it, and
   * neither leaves a listener or timer behind. */
  private async send(
    service: string,
    method: string,
    url: string,
    request: { headers: Record<string, string>; body?: string | Uint8Array | Readable },
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse> {
    const cancel = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      cancel.abort();
    }, timeoutMs);
    const onAbort = () => cancel.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw interrupted(service, method, url);
      return await this.transport({
        method,
        url,
        headers: { Accept: 'application/json', ...request.headers },
        signal: cancel.signal,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
    } catch (error) {
      if (signal?.aborted) throw interrupted(service, method, url);
      if (timedOut) {
        throw new TimeoutError(
          describeCall(service, method, url),
          timeoutMs,
          `Check that ${new URL(url).host} is up and reachable.`,
        );
      }
      const cause = (error as { cause?: unknown }).cause;
      throw new OpenStackConnectionError(
        `${describeCall(service, method, url)} could not connect (${errorMessage(cause ?? error)}); check that the service at ${new URL(url).host} is running and reachable.`,
        { service, cause: error },
      );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // a stream the server did not read to the end (a refused upload) still holds its file open
      if (request.body instanceof Readable && !request.body.destroyed) request.body.destroy();
    }
  }

  // ------------------------------------------------------------------ identity

  /** Keystone v3 password auth scoped to the project; the token and catalog are reused until they expire. */
  async authenticate(signal?: AbortSignal): Promise<TokenInfo> {
    if (tokenIsFresh(this.tokenInfo)) return this.tokenInfo;
    // concurrent first calls share one token request
    this.authInFlight ??= this.requestToken(signal).finally(() => {
      this.authInFlight = undefined;
    });
    return this.authInFlight;
  }

  private async requestToken(signal: AbortSignal | undefined): Promise<TokenInfo> {
    const c = this.credentials;
    const authUrl = identityV3Url(c.authUrl);
    const url = `${authUrl}/auth/tokens`;
    const response = await this.send(
      'identity',
      'POST',
      url,
      { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(passwordAuthRequest(c)) },
      this.timeoutMs,
      signal,
    );
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
    this.tokenInfo = tokenInfoOf(token, readJson<TokenBody>('identity', 'POST', url, response));
    return this.tokenInfo;
  }

  /** The URL of a service from the token's catalog, for the chosen region and interface. */
  async endpoint(type: string, signal?: AbortSignal): Promise<string> {
    const { catalog } = await this.authenticate(signal);
    return catalogEndpoint(catalog, type, this.endpointInterface, this.region);
  }

  // ------------------------------------------------------------------ compute microversion

  /** min(requested, the server's maximum); asked once, even by concurrent calls, and asked again after a failure. */
  readonly computeMicroversion: (signal?: AbortSignal) => Promise<string> = pMemoize(
    (signal?: AbortSignal) => this.negotiateMicroversion(signal),
    { cacheKey: () => 'compute' },
  );

  private async negotiateMicroversion(signal: AbortSignal | undefined): Promise<string> {
    const wanted = this.options.computeMicroversion ?? DEFAULT_MICROVERSION;
    const url = `${await this.endpoint('compute', signal)}/`;
    const token = (await this.authenticate(signal)).token;
    const response = await this.send(
      'compute',
      'GET',
      url,
      { headers: { 'X-Auth-Token': token } },
      this.timeoutMs,
      signal,
    );
    let max = '2.1';
    if (response.status < 400) {
      const root = readJson<{ version?: { version?: string } } | undefined>('compute', 'GET', url, response);
      max = root?.version?.version || '2.1';
    }
    return compareMicroversion(wanted, max) <= 0 ? wanted : max;
  }

  // ------------------------------------------------------------------ calls

  /** A call with the token; a 401 (token expired or revoked) authenticates again and sends once more. */
  private async sendAuthenticated(
    service: ServiceType,
    method: string,
    url: string,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const versionHeaders = async (): Promise<Record<string, string>> => {
      if (service !== 'compute') return {};
      const version = await this.computeMicroversion(signal);
      return { 'OpenStack-API-Version': `compute ${version}`, 'X-OpenStack-Nova-API-Version': version };
    };
    const attempt = async (token: string) => {
      const headers: Record<string, string> = {
        ...(await versionHeaders()),
        ...options.headers,
        'X-Auth-Token': token,
      };
      let body: string | Uint8Array | Readable | undefined;
      if (options.upload) {
        headers['Content-Type'] = options.upload.contentType;
        body = options.upload.body();
      } else if (options.json !== undefined) {
        headers['Content-Type'] ??= 'application/json';
        body = JSON.stringify(options.json);
      }
      return this.send(
        service,
        method,
        url,
        { headers, ...(body === undefined ? {} : { body }) },
        timeoutMs,
        signal,
      );
    };
    const used = (await this.authenticate(signal)).token;
    const response = await attempt(used);
    if (response.status !== 401) return response;
    if (this.tokenInfo?.token === used) this.tokenInfo = undefined;
    return attempt((await this.authenticate(signal)).token);
  }

  /** One call to a service: reads (GET, HEAD) are retried on transient failures and 502/503/504, writes never. */
  async request<T>(
    service: ServiceType,
    method: string,
    pathOrUrl: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const { signal } = options;
    const url = pathOrUrl.startsWith('http')
      ? pathOrUrl
      : `${await this.endpoint(service, signal)}${pathOrUrl}`;
    const attempts = method === 'GET' || method === 'HEAD' ? READ_RETRIES + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      let response: HttpResponse;
      try {
        response = await this.sendAuthenticated(service, method, url, options);
      } catch (error) {
        if (last || !isTransient(error)) throw error;
        await this.pause(attempt, service, method, url, signal);
        continue;
      }
      if (!last && RETRY_STATUSES.has(response.status)) {
        await this.pause(attempt, service, method, url, signal);
        continue;
      }
      if (response.status >= 400 && !(options.accept ?? []).includes(response.status)) {
        throw new OpenStackApiError(
          describeApiError(service, method, new URL(url).pathname, response.status, response.body),
          { service, status: response.status },
        );
      }
      // an accepted error (a 404 on a lookup) is an answer without data: Glance writes those in HTML
      const data = response.status >= 400 ? (undefined as T) : readJson<T>(service, method, url, response);
      return { status: response.status, data, headers: response.headers };
    }
  }

  /** The wait before the next attempt; an abort ends it at once, and no attempt follows. */
  private async pause(
    attempt: number,
    service: string,
    method: string,
    url: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    try {
      await delay(300 * attempt, undefined, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) throw interrupted(service, method, url);
      throw error;
    }
  }
}
