import { randomBytes } from 'node:crypto';
import type { SimApplication, SimUnit, SimVaultServer } from '../state.js';

// The Vault server inside a simulated vault unit, as the charm's README drives it (charm-behaviour.md §1
// "Post-deployment tasks"): `operator init` hands out unseal keys and a root token, `operator unseal`
// with `threshold` distinct keys unseals one unit, `token create` makes a short-lived token from a valid
// one. Each step sets the fact the vault charm's status ladder waits for (sim/charms/vault.ts).

export const VAULT_VERSION = '1.8.8';

/** A Vault API error, with the HTTP status and the message Vault puts in `errors`. */
export class VaultError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface SealStatus {
  type: 'shamir';
  initialized: boolean;
  sealed: boolean;
  t: number;
  n: number;
  progress: number;
  nonce: string;
  version: string;
  migration: boolean;
  recovery_seal: boolean;
  storage_type: string;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Vault 1.x service token: `s.` and 24 base62 characters. */
function newToken(): string {
  return `s.${[...randomBytes(24)].map((b) => BASE62[b % 62]).join('')}`;
}

function serverOf(app: SimApplication): SimVaultServer {
  if (!app.vault) throw new VaultError(400, 'Vault is not initialized');
  return app.vault;
}

/** Whether the application's vault is initialised at `now` (by an operator or by the charm itself). */
function initialised(app: SimApplication, now: number, autoInitialisedAt: number): boolean {
  return (app.facts?.initialised ?? Infinity) <= now || autoInitialisedAt <= now;
}

export interface VaultInit {
  keysHex: string[];
  keysB64: string[];
  rootToken: string;
  shares: number;
  threshold: number;
}

/** `vault operator init -key-shares=N -key-threshold=T` (PUT /v1/sys/init). */
export function initVault(
  app: SimApplication,
  shares: number,
  threshold: number,
  now: number,
  autoInitialisedAt = Infinity,
): VaultInit {
  if (app.vault || initialised(app, now, autoInitialisedAt))
    throw new VaultError(400, 'Vault is already initialized');
  if (!Number.isInteger(shares) || shares < 1)
    throw new VaultError(400, 'invalid seal configuration: secret shares must be at least one');
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > shares)
    throw new VaultError(
      400,
      'invalid seal configuration: threshold must be at least one and not exceed secret shares',
    );
  const keys = Array.from({ length: shares }, () => randomBytes(33));
  const rootToken = newToken();
  app.vault = {
    keysHex: keys.map((k) => k.toString('hex')),
    threshold,
    rootToken,
    tokens: [],
    unsealProgress: {},
  };
  app.facts = { ...app.facts, initialised: now };
  return {
    keysHex: app.vault.keysHex,
    keysB64: keys.map((k) => k.toString('base64')),
    rootToken,
    shares,
    threshold,
  };
}

/** The unit's seal status (GET /v1/sys/seal-status). */
export function sealStatus(app: SimApplication, unit: SimUnit, now: number): SealStatus {
  const server = app.vault;
  const sealed = (unit.facts?.unsealed ?? Infinity) > now;
  const progress = sealed ? (server?.unsealProgress[unit.name]?.length ?? 0) : 0;
  return {
    type: 'shamir',
    initialized: server !== undefined || (app.facts?.initialised ?? Infinity) <= now,
    sealed,
    t: server?.threshold ?? 1,
    n: server?.keysHex.length ?? 1,
    progress,
    nonce: progress > 0 ? `${unit.name.replace('/', '-')}-unseal` : '',
    version: VAULT_VERSION,
    migration: false,
    recovery_seal: false,
    storage_type: 'mysql',
  };
}

/** `vault operator unseal KEY` (PUT /v1/sys/unseal) against one unit; hex or base64 keys. */
export function unsealVault(app: SimApplication, unit: SimUnit, key: string, now: number): SealStatus {
  const server = serverOf(app);
  if ((unit.facts?.unsealed ?? Infinity) <= now) return sealStatus(app, unit, now);
  const asHex = /^[0-9a-f]+$/i.test(key) ? key.toLowerCase() : Buffer.from(key, 'base64').toString('hex');
  if (!server.keysHex.includes(asHex)) throw new VaultError(400, 'Unseal failed, invalid key');
  const given = new Set([...(server.unsealProgress[unit.name] ?? []), asHex]);
  if (given.size >= server.threshold) {
    delete server.unsealProgress[unit.name];
    unit.facts = { ...unit.facts, unsealed: now };
  } else server.unsealProgress[unit.name] = [...given];
  return sealStatus(app, unit, now);
}

/** Whether `token` is the root token or a live token created from it. */
export function tokenIsValid(app: SimApplication, token: string | undefined, now: number): boolean {
  const server = app.vault;
  if (!server || !token) return false;
  return token === server.rootToken || server.tokens.some((t) => t.token === token && t.expiresAt > now);
}

/** `vault token create -ttl=10m` (POST /v1/auth/token/create) with the caller's token. */
export function createToken(
  app: SimApplication,
  callerToken: string | undefined,
  ttlSeconds: number,
  now: number,
): { token: string; accessor: string; ttlSeconds: number } {
  if (!tokenIsValid(app, callerToken, now)) throw new VaultError(403, 'permission denied');
  const token = newToken();
  serverOf(app).tokens.push({ token, expiresAt: now + ttlSeconds * 1000 });
  return { token, accessor: [...randomBytes(24)].map((b) => BASE62[b % 62]).join(''), ttlSeconds };
}

/** Vault's duration syntax as the CLI takes it: `600`, `10m`, `1h30m`, `45s`. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+)([hms])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * { h: 3600, m: 60, s: 1 }[unit as 'h']!, 0);
}
