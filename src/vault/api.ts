import { InterruptedError, JobError, errorMessage } from '../util/errors.js';

// Vault's HTTP API at a vault unit (http://<unit address>:8200), for the charm README's post-deployment
// steps. The README runs the vault client on the Juju client's host with VAULT_ADDR pointing at the unit;
// that client is a thin wrapper over these same calls (sys/init, sys/unseal, auth/token/create), and over
// HTTP the unseal keys and tokens travel in request bodies and headers, never in any process's argv.
// One function per call, each with its own timeout and the caller's AbortSignal.

export class VaultError extends JobError {}

export interface VaultApiOptions {
  /** Aborts every call (Ctrl-C). */
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface SealStatus {
  initialized: boolean;
  sealed: boolean;
  /** Keys needed to unseal, and how many were given so far. */
  threshold: number;
  progress: number;
}

export interface VaultInit {
  /** Unseal key shares (base64), as `vault operator init` prints them. */
  keys: string[];
  rootToken: string;
}

export interface VaultApi {
  sealStatus(address: string): Promise<SealStatus>;
  init(address: string, shares: number, threshold: number): Promise<VaultInit>;
  unseal(address: string, key: string): Promise<SealStatus>;
  /** A token for `authorize-charm`, valid for `ttl` (e.g. `10m`), made with the root token. */
  createToken(address: string, rootToken: string, ttl: string): Promise<string>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export const vaultUrl = (address: string, path: string) =>
  `http://${address.includes(':') ? `[${address}]` : address}:8200/v1/${path}`;

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function sealStatusOf(body: unknown): SealStatus {
  const doc = record(body);
  return {
    initialized: doc.initialized === true,
    sealed: doc.sealed !== false,
    threshold: typeof doc.t === 'number' ? doc.t : 0,
    progress: typeof doc.progress === 'number' ? doc.progress : 0,
  };
}

export function createVaultApi(options: VaultApiOptions = {}): VaultApi {
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call(
    address: string,
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    what: string,
    body?: object,
    token?: string,
  ): Promise<unknown> {
    if (options.signal?.aborted) throw new InterruptedError();
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
    let response: Response;
    try {
      response = await send(vaultUrl(address, path), {
        method,
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { 'X-Vault-Token': token } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      if (options.signal?.aborted) throw new InterruptedError();
      throw new VaultError(
        `vault at ${address}:8200 did not answer ${what} (${errorMessage(error)}); check that this host reaches the vault unit's address and that its service runs (\`juju status vault\`).`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      // Vault answers {"errors": [...]}; its messages name no secret.
      const errors = (record(safeJson(text)).errors as unknown[] | undefined)?.map(String) ?? [];
      throw new VaultError(
        `vault at ${address}:8200 refused ${what}: HTTP ${response.status}${errors.length ? ` (${errors.join('; ')})` : ''}`,
      );
    }
    return safeJson(text);
  }

  return {
    sealStatus: async (address) =>
      sealStatusOf(await call(address, 'GET', 'sys/seal-status', 'the seal status')),
    async init(address, shares, threshold) {
      const doc = record(
        await call(address, 'PUT', 'sys/init', 'init', {
          secret_shares: shares,
          secret_threshold: threshold,
        }),
      );
      const keys = (doc.keys_base64 ?? doc.keys) as unknown;
      if (!Array.isArray(keys) || typeof doc.root_token !== 'string') {
        throw new VaultError(`vault at ${address}:8200 answered init without keys and a root token`);
      }
      return { keys: keys.map(String), rootToken: doc.root_token };
    },
    unseal: async (address, key) =>
      sealStatusOf(await call(address, 'PUT', 'sys/unseal', 'an unseal key', { key })),
    async createToken(address, rootToken, ttl) {
      const doc = record(await call(address, 'POST', 'auth/token/create', 'a token', { ttl }, rootToken));
      const token = record(doc.auth).client_token;
      if (typeof token !== 'string') {
        throw new VaultError(`vault at ${address}:8200 answered token/create without a token`);
      }
      return token;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
