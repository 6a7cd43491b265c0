import { addressOf, charmWorldOf } from '../lifecycle.js';
import { updateSimState, type SimApplication, type SimModel, type SimUnit } from '../state.js';
import {
  createToken,
  initVault,
  parseDuration,
  sealStatus,
  unsealVault,
  VaultError,
  VAULT_VERSION,
} from './server.js';

// Vault's HTTP API as a simulated vault unit serves it on http://<unit address>:8200 (the charm's README
// sets VAULT_ADDR so). The simulator runs no daemon, so a simulated lab calls this in-process instead of
// fetch: same paths, bodies and status codes, state kept with the rest of the simulator's model. The key
// shares and tokens travel in request bodies and headers, never in a command line.

export interface SimVaultRequest {
  /** `http://10.20.0.12:8200/v1/sys/init`: the host names the vault unit by its address. */
  url: string;
  method: 'GET' | 'PUT' | 'POST';
  /** The X-Vault-Token header. */
  token?: string;
  body?: Record<string, unknown>;
}

export interface SimVaultResponse {
  status: number;
  body: Record<string, unknown>;
}

interface Found {
  model: SimModel;
  app: SimApplication;
  unit: SimUnit;
}

function findVaultUnit(models: SimModel[], host: string): Found | undefined {
  for (const model of models)
    for (const app of Object.values(model.applications)) {
      if (app.charmName !== 'vault') continue;
      for (const unit of Object.values(app.units)) {
        const machine = unit.machine === undefined ? undefined : model.machines[unit.machine];
        if (machine && addressOf(model, machine) === host) return { model, app, unit };
      }
    }
  return undefined;
}

function error(status: number, message: string): SimVaultResponse {
  return { status, body: { errors: [message] } };
}

/** Answer one Vault API request against the simulator state in `dir` (speed: simulated seconds per second). */
export async function handleSimVaultRequest(
  dir: string,
  request: SimVaultRequest,
  options: { speed: number; now?: number },
): Promise<SimVaultResponse> {
  const url = new URL(request.url);
  return updateSimState(dir, (state) => {
    const now = options.now ?? Date.now();
    const controllers = Object.values(state.controllers);
    const models = controllers.flatMap((c) => Object.values(c.models));
    const found = findVaultUnit(models, url.hostname);
    // nothing listens there: what fetch reports is a refused connection, which the caller maps itself
    if (!found || url.port !== '8200') return error(503, `connect ECONNREFUSED ${url.host}`);
    const { model, app, unit } = found;
    const controller = controllers.find((c) => Object.values(c.models).includes(model))!;
    const world = charmWorldOf({
      controller,
      model,
      flavour: '3',
      version: '',
      now,
      speed: options.speed,
      faults: {},
    });
    const autoInitialisedAt = world.factAt(app, 'initialised');
    const route = `${request.method === 'GET' ? 'GET' : 'WRITE'} ${url.pathname}`;
    try {
      switch (route) {
        case 'GET /v1/sys/health': {
          const status = sealStatus(app, unit, now);
          const initialized = status.initialized || autoInitialisedAt <= now;
          const sealed = world.factAt(app, 'unsealed', unit) > now;
          const code = !initialized ? 501 : sealed ? 503 : 200;
          return { status: code, body: { initialized, sealed, standby: false, version: VAULT_VERSION } };
        }
        case 'GET /v1/sys/init':
          return {
            status: 200,
            body: { initialized: sealStatus(app, unit, now).initialized || autoInitialisedAt <= now },
          };
        case 'WRITE /v1/sys/init': {
          const init = initVault(
            app,
            Number(request.body?.secret_shares),
            Number(request.body?.secret_threshold),
            now,
            autoInitialisedAt,
          );
          return {
            status: 200,
            body: { keys: init.keysHex, keys_base64: init.keysB64, root_token: init.rootToken },
          };
        }
        case 'GET /v1/sys/seal-status':
          return { status: 200, body: { ...sealStatus(app, unit, now) } };
        case 'WRITE /v1/sys/unseal':
          return { status: 200, body: { ...unsealVault(app, unit, String(request.body?.key ?? ''), now) } };
        case 'WRITE /v1/auth/token/create': {
          const seconds = parseDuration(String(request.body?.ttl ?? '768h'));
          if (seconds === undefined) return error(400, `invalid ttl "${String(request.body?.ttl)}"`);
          const created = createToken(app, request.token, seconds, now);
          return {
            status: 200,
            body: {
              auth: {
                client_token: created.token,
                accessor: created.accessor,
                policies: ['root'],
                token_policies: ['root'],
                lease_duration: seconds,
                renewable: false,
              },
            },
          };
        }
        default:
          return error(404, `no handler for route "${url.pathname.replace(/^\/v1\//, '')}"`);
      }
    } catch (caught) {
      if (caught instanceof VaultError) return error(caught.status, caught.message);
      throw caught;
    }
  });
}
