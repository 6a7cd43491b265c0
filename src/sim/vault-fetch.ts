import { DEFAULT_SIM_SPEED } from './juju/context.js';
import { handleSimVaultRequest } from './vault/api.js';

// A simulated lab's vault units have no daemon listening on <address>:8200, but the simulator answers
// Vault's HTTP API in-process (sim/vault/api.ts). This `fetch` hands the Vault client (src/vault/api.ts)
// to it, so a simulated `vault.unlock: manual` deploy runs the same init/unseal/token calls as a real one:
// keys and tokens stay in request bodies and headers, never in argv.

type SimMethod = 'GET' | 'PUT' | 'POST';

function headerOf(init: RequestInit | undefined, name: string): string | undefined {
  const value = new Headers(init?.headers).get(name);
  return value ?? undefined;
}

/** A `fetch` over the simulator's Vault API, with its state in `simDir` and the run's LXDSTACK_SIM_SPEED. */
export function simVaultFetch(simDir: string, env: NodeJS.ProcessEnv): typeof fetch {
  const speedText = env.LXDSTACK_SIM_SPEED;
  const speed = speedText === undefined || speedText === '' ? DEFAULT_SIM_SPEED : Number(speedText);
  return async (input, init) => {
    init?.signal?.throwIfAborted();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase() as SimMethod;
    const token = headerOf(init, 'X-Vault-Token');
    const body =
      typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    const answer = await handleSimVaultRequest(
      simDir,
      { url, method, ...(token ? { token } : {}), ...(body ? { body } : {}) },
      { speed: Number.isFinite(speed) && speed >= 0 ? speed : DEFAULT_SIM_SPEED },
    );
    // a unit with nothing on :8200 is a refused connection to fetch, not an HTTP answer
    if (answer.status === 503 && String(answer.body.errors).startsWith('connect ECONNREFUSED'))
      throw new TypeError('fetch failed', { cause: new Error(String(answer.body.errors)) });
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
}
