import type { SimApplication, SimUnit } from '../state.js';
import {
  createToken,
  initVault,
  parseDuration,
  sealStatus,
  unsealVault,
  VaultError,
  type SealStatus,
} from './server.js';

// The `vault` client inside a simulated vault unit, as `juju exec --unit vault/0 -- [env VAULT_ADDR=…
// VAULT_TOKEN=…] vault …` runs it: `operator init`, `operator unseal KEY`, `token create`, `status`, with
// the text the charm's README shows (charm-behaviour.md §1 "Post-deployment tasks") or `-format=json`.
// Vault's CLI exits 2 on a request error; `status` exits 2 while sealed.

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface VaultCall {
  env: Record<string, string>;
  words: string[];
  flags: Record<string, string>;
}

/** `env A=1 B=2 vault operator init -key-shares=5` → its environment, words and `-flag=value`s. */
function parseCall(argv: readonly string[]): VaultCall | undefined {
  const env: Record<string, string> = {};
  let rest = [...argv];
  if (rest[0] === 'env') {
    rest = rest.slice(1);
    while (rest[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(rest[0])) {
      const [name, ...value] = rest.shift()!.split('=');
      env[name!] = value.join('=');
    }
  }
  if (rest[0] !== 'vault') return undefined;
  const flags: Record<string, string> = {};
  const words: string[] = [];
  for (const arg of rest.slice(1)) {
    const flag = /^--?([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (flag) flags[flag[1]!] = flag[2] ?? 'true';
    else words.push(arg);
  }
  return { env, words, flags };
}

function table(rows: [string, string][]): string {
  const width = Math.max(3, ...rows.map(([key]) => key.length));
  const line = (a: string, b: string) => `${a.padEnd(width)}    ${b}`.trimEnd();
  return [line('Key', 'Value'), line('---', '-----'), ...rows.map(([a, b]) => line(a, b))].join('\n') + '\n';
}

function statusText(status: SealStatus): string {
  const rows: [string, string][] = [
    ['Seal Type', status.type],
    ['Initialized', String(status.initialized)],
    ['Sealed', String(status.sealed)],
    ['Total Shares', String(status.n)],
    ['Threshold', String(status.t)],
  ];
  if (status.sealed)
    rows.push(['Unseal Progress', `${status.progress}/${status.t}`], ['Unseal Nonce', status.nonce]);
  rows.push(['Version', status.version], ['Storage Type', status.storage_type], ['HA Enabled', 'true']);
  return table(rows);
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Run a `vault` command line in `unit` of the vault application `app` at `now`; undefined when the
 * command is not a `vault` call (the caller echoes it as before). `autoInitialisedAt` is when the charm
 * initialised Vault itself (totally-unsecure-auto-unlock), Infinity otherwise.
 */
export function runVaultCommand(
  app: SimApplication,
  unit: SimUnit,
  argv: readonly string[],
  now: number,
  autoInitialisedAt: number,
): CommandResult | undefined {
  const call = parseCall(argv);
  if (!call) return undefined;
  const asJson = call.flags.format === 'json';
  const [group, verb, ...args] = call.words;
  const address = call.env.VAULT_ADDR ?? 'https://127.0.0.1:8200';
  const what = `${group ?? ''} ${verb ?? ''}`.trim();
  const endpoint: Record<string, [string, string]> = {
    'operator init': ['Error initializing', 'PUT /v1/sys/init'],
    'operator unseal': ['Error unsealing', 'PUT /v1/sys/unseal'],
    'token create': ['Error creating token', 'POST /v1/auth/token/create'],
    status: ['Error checking seal status', 'GET /v1/sys/seal-status'],
  };
  const known = endpoint[what] ?? endpoint[group ?? ''];
  if (!known) return { code: 1, stdout: '', stderr: `Usage: vault <command> [args]\n` };
  const [prefix, request] = known;
  // the charm's Vault listens on plain http: the client's https default fails (VAULT_ADDR must say http)
  if (!address.startsWith('http://')) {
    const [method, path] = request.split(' ');
    return {
      code: 2,
      stdout: '',
      stderr: `${prefix}: ${method} "${address}${path}": http: server gave HTTP response to HTTPS client\n`,
    };
  }
  try {
    if (what === 'operator init') {
      const shares = Number(call.flags['key-shares'] ?? 5);
      const threshold = Number(call.flags['key-threshold'] ?? 3);
      const init = initVault(app, shares, threshold, now, autoInitialisedAt);
      if (asJson)
        return {
          code: 0,
          stderr: '',
          stdout: json({
            unseal_keys_b64: init.keysB64,
            unseal_keys_hex: init.keysHex,
            unseal_shares: shares,
            unseal_threshold: threshold,
            recovery_keys_b64: [],
            recovery_keys_hex: [],
            recovery_keys_shares: 0,
            recovery_keys_threshold: 0,
            root_token: init.rootToken,
          }),
        };
      const keys = init.keysB64.map((key, i) => `Unseal Key ${i + 1}: ${key}`).join('\n');
      return {
        code: 0,
        stderr: '',
        stdout: `${keys}\n\nInitial Root Token: ${init.rootToken}\n\nVault initialized with ${shares} key shares and a key threshold of ${threshold}. Please securely\ndistribute the key shares printed above. When the Vault is re-sealed,\nrestarted, or stopped, you must supply at least ${threshold} of these keys to unseal it\nbefore it can start servicing requests.\n\nVault does not store the generated master key. Without at least ${threshold} key to\nreconstruct the master key, Vault will remain permanently sealed!\n\nIt is possible to generate new unseal keys, provided you have a quorum of\nexisting unseal keys shares. See "vault operator rekey" for more information.\n`,
      };
    }
    if (what === 'operator unseal') {
      const [key] = args;
      // without a key the real client prompts on the terminal, which juju exec does not give it (wording derived)
      if (!key)
        return { code: 2, stdout: '', stderr: `${prefix}: no unseal key given (no terminal to prompt)\n` };
      const status = unsealVault(app, unit, key, now);
      return { code: 0, stderr: '', stdout: asJson ? json(status) : statusText(status) };
    }
    if (what === 'token create') {
      const ttl = parseDuration(call.flags.ttl ?? '768h');
      if (ttl === undefined) return { code: 1, stdout: '', stderr: `invalid duration "${call.flags.ttl}"\n` };
      const created = createToken(app, call.env.VAULT_TOKEN, ttl, now);
      if (asJson)
        return {
          code: 0,
          stderr: '',
          stdout: json({
            request_id: `${unit.name}-token`,
            lease_id: '',
            lease_duration: 0,
            renewable: false,
            data: null,
            warnings: null,
            auth: {
              client_token: created.token,
              accessor: created.accessor,
              policies: ['root'],
              token_policies: ['root'],
              metadata: null,
              lease_duration: ttl,
              renewable: false,
              entity_id: '',
              token_type: 'service',
              orphan: false,
            },
          }),
        };
      return {
        code: 0,
        stderr: '',
        stdout: table([
          ['token', created.token],
          ['token_accessor', created.accessor],
          ['token_duration', call.flags.ttl ?? '768h'],
          ['token_renewable', 'false'],
          ['token_policies', '["root"]'],
          ['identity_policies', '[]'],
          ['policies', '["root"]'],
        ]),
      };
    }
    const status = sealStatus(app, unit, now);
    return { code: status.sealed ? 2 : 0, stderr: '', stdout: asJson ? json(status) : statusText(status) };
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    const [method, path] = request.split(' ');
    return {
      code: 2,
      stdout: '',
      stderr: `${prefix}: Error making API request.\n\nURL: ${method} ${address}${path}\nCode: ${error.status}. Errors:\n\n* ${error.message}\n`,
    };
  }
}
