import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import type { SimCloudType } from './clouds.js';

// The simulator keeps everything a real juju + LXD pair would hold in one JSON file. Each `juju`
// invocation is its own process, so every read-modify-write takes a lock file; times are stored as
// real epoch milliseconds and the current status is computed from them on demand (no daemon).

export interface SimUnit {
  name: string;
  /** Principal units: the model machine they run on. */
  machine?: string;
  /** Subordinate units: the principal unit they ride on. */
  principal?: string;
  createdAt: number;
  /** Charm facts of this unit (vault's `unsealed`) and the instant each was set (see sim/charms). */
  facts?: Record<string, number>;
}

export interface SimApplication {
  name: string;
  /** The charm reference as written in the bundle (e.g. `cs:xenial/glance`, `glance`, `./local`). */
  charmUrl: string;
  charmName: string;
  channel?: string;
  /** `ubuntu@22.04`-style base or a series name, as the bundle gave it. */
  series?: string;
  subordinate: boolean;
  exposed: boolean;
  /** Application constraints: the machines `juju add-unit` creates get them. */
  constraints?: string;
  options: Record<string, unknown>;
  units: Record<string, SimUnit>;
  nextUnit: number;
  createdAt: number;
  /** Charm facts of the application (vault's `initialised`, `authorised`, `ca`) and when each was set. */
  facts?: Record<string, number>;
  /** What the Vault server behind a vault application holds once initialised (see sim/vault). */
  vault?: SimVaultServer;
}

/** A simulated Vault server's secrets: it checks the unseal keys and tokens it is given against them. */
export interface SimVaultServer {
  keysHex: string[];
  threshold: number;
  rootToken: string;
  /** Tokens created with `vault token create`, with their expiry (epoch ms). */
  tokens: { token: string; expiresAt: number }[];
  /** Unseal keys given so far per unit still sealed. */
  unsealProgress: Record<string, string[]>;
}

export interface SimMachine {
  id: string;
  /** Containers (`0/lxd/0`) name their host machine. */
  parent?: string;
  /** Position among machines created by the model, used to stagger provisioning. */
  ordinal: number;
  series?: string;
  constraints?: string;
  createdAt: number;
}

export interface SimModel {
  name: string;
  uuid: string;
  owner: string;
  cloud: string;
  region: string;
  config: Record<string, string>;
  createdAt: number;
  machines: Record<string, SimMachine>;
  nextMachine: number;
  applications: Record<string, SimApplication>;
  /** Each relation as its two endpoints `app:endpoint` (or a bare app when the bundle gave one). */
  relations: [string, string][];
  /** Bundle machine id → model machine id, so re-deploying the same bundle reuses its machines. */
  bundleMachines: Record<string, string>;
}

export interface SimController {
  name: string;
  uuid: string;
  cloud: string;
  region: string;
  /** The type of each cloud the controller knows (absent in older state: only localhost, an LXD cloud). */
  cloudTypes?: Record<string, SimCloudType>;
  config: Record<string, string>;
  modelDefaults: Record<string, string>;
  currentModel?: string;
  models: Record<string, SimModel>;
}

/** What LXD would hold because of the lab: profiles and containers, by name. */
export interface SimLxdFacts {
  profiles: string[];
  containers: string[];
  /** Storage pools and networks the lab's "prepare LXD" stood in for (absent in older state: none). */
  pools?: string[];
  networks?: string[];
}

export interface SimState {
  version: 1;
  currentController?: string;
  controllers: Record<string, SimController>;
  lxd: SimLxdFacts;
  /** Keys of one-shot faults already spent (see faults.ts). */
  spentFaults: string[];
  /** Juju numbers actions and exec tasks per controller; one counter is enough for the simulator. */
  lastTaskId?: number;
}

const STATE_FILE = 'state.json';
const LOCK_FILE = 'state.lock';
const LOCK_WAIT_MS = 15_000;
const STALE_LOCK_MS = 10_000;

export function emptySimState(): SimState {
  return { version: 1, controllers: {}, lxd: { profiles: ['default'], containers: [] }, spentFaults: [] };
}

/** The simulator's state as stored now (an empty state when the folder is new). For tests and teardown checks. */
export async function readSimState(dir: string): Promise<SimState> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch {
    return emptySimState();
  }
  return JSON.parse(text) as SimState;
}

async function acquireLock(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const token = `${process.pid}:${randomBytes(4).toString('hex')}`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(token);
      await handle.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    await breakStaleLock(path);
    if (Date.now() > deadline) throw new Error(`the simulator state in ${dir} stayed locked; remove ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 3 + Math.random() * 7));
  }
}

/** A holder killed mid-update (e.g. by a test's timeout) must not block every later call. */
async function breakStaleLock(path: string): Promise<void> {
  try {
    const text = await readFile(path, 'utf8');
    const info = await stat(path);
    const pid = Number(text.split(':')[0]);
    let alive = true;
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
    }
    if (alive && Date.now() - info.mtimeMs <= STALE_LOCK_MS) return;
    // The holder we judged may have released the lock and another taken it since: only remove the very
    // lock we judged (same token), or we would break a live holder's lock and lose its update.
    if (text !== '' && (await readFile(path, 'utf8')) === text) await rm(path, { force: true });
  } catch {
    // gone in the meantime
  }
}

/** Read, change and write the state under the lock; `change` returns its result and may mutate the state. */
export async function updateSimState<T>(
  dir: string,
  change: (state: SimState) => T | Promise<T>,
): Promise<T> {
  const release = await acquireLock(dir);
  try {
    const state = await readSimState(dir);
    const result = await change(state);
    await writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(state, null, 1)}\n`, 0o600);
    return result;
  } finally {
    await release();
  }
}
