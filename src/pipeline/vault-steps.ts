import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VAULT_LADDER } from '../juju/post-deployment.js';
import type { LabSpec } from '../lab/schema.js';
import type { Ledger } from '../state/ledger.js';
import { JobError, formatDuration } from '../util/errors.js';
import { pathExists, writeFileAtomic } from '../util/fs.js';
import type { VaultApi } from '../vault/api.js';
import { sleep, type Step, type StepIo } from './steps.js';
import type { VaultPort, VaultUnit } from './vault-adapter.js';

// Deploy's vault and TLS steps (modern profile). With `vault.unlock: manual` the charm README's
// post-deployment steps run after the bundle is deployed: init with the lab's key shares and threshold,
// unseal every unit, a short-lived token for `authorize-charm` (in a params file), then
// `generate-root-ca`. The keys and root token are saved 0600 in the lab folder and never printed. With
// `auto` (the lab default) the charm does all of this itself. Either way, once the model is ready,
// `get-root-ca` is written to <lab>/ca.pem for the OpenStack clients (keystone then serves https).

export const VAULT_KEYS_FILE = 'vault-keys.json';
export const CA_FILE = 'ca.pem';
/** The authorize-charm token's lifetime: the README's ten minutes. */
const TOKEN_TTL = '10m';
const LAB_ONLY =
  'vault.unlock: auto: the charm unseals itself and makes its own root CA (totally-unsecure-auto-unlock, lab only, never for production)';

interface SavedKeys {
  keys: string[];
  rootToken: string;
  shares: number;
  threshold: number;
  createdAt: string;
}

export interface VaultStepsInput {
  spec: LabSpec;
  ledger: Ledger;
  vault: VaultPort;
  labDirectory: string;
  /** Registers a secret (a key, a token) with the run's redaction. */
  onSecret: (secret: string) => void;
  /** How long vault's units may take to come up after deploy. */
  waitTimeoutMs: number;
  pollMs?: number;
}

const isLadder = (message: string) => Object.values(VAULT_LADDER).some((m) => message.startsWith(m));

/** Every vault unit past the ladder: unsealed, authorised, with a CA. */
const allActive = (units: readonly VaultUnit[]) =>
  units.length > 0 && units.every((u) => u.workload === 'active');

/** Poll until vault's leader has an address and shows where it is on the ladder (its service runs). */
async function vaultUnitsUp(input: VaultStepsInput, io: StepIo): Promise<VaultUnit[]> {
  const started = Date.now();
  for (;;) {
    const units = await input.vault.units();
    const leader = units.find((u) => u.leader);
    if (leader?.address && (isLadder(leader.message) || leader.workload === 'active')) return units;
    if (Date.now() - started >= input.waitTimeoutMs) {
      throw new JobError(
        `vault did not come up within ${formatDuration(input.waitTimeoutMs)}: ${leader ? `${leader.name} ${leader.workload} "${leader.message}"` : 'no leader unit'}`,
        { details: ['Look at `lxdstack status` and `juju debug-log --include vault`.'] },
      );
    }
    io.report(`waiting for vault: ${units.map((u) => `${u.name} ${u.workload} ${u.message}`).join('; ')}`);
    await sleep(input.pollMs ?? 10_000, io.signal);
  }
}

async function readSavedKeys(path: string): Promise<SavedKeys | undefined> {
  if (!(await pathExists(path))) return undefined;
  return JSON.parse(await readFile(path, 'utf8')) as SavedKeys;
}

/** Initialise vault (once: the keys are saved before anything else), or read the keys saved earlier. */
async function initialisedKeys(
  input: VaultStepsInput,
  api: VaultApi,
  address: string,
  notes: string[],
): Promise<SavedKeys> {
  const path = join(input.labDirectory, VAULT_KEYS_FILE);
  const status = await api.sealStatus(address);
  if (!status.initialized) {
    const { keyShares, keyThreshold } = input.spec.vault;
    const result = await api.init(address, keyShares, keyThreshold);
    const saved: SavedKeys = {
      ...result,
      shares: keyShares,
      threshold: keyThreshold,
      createdAt: new Date().toISOString(),
    };
    for (const secret of [...saved.keys, saved.rootToken]) input.onSecret(secret);
    await writeFileAtomic(path, `${JSON.stringify(saved, null, 2)}\n`, 0o600);
    notes.push(
      `vault initialised with ${keyShares} key shares (threshold ${keyThreshold}); keys and root token in ${path} (mode 0600)`,
    );
    return saved;
  }
  const saved = await readSavedKeys(path);
  if (!saved) {
    throw new JobError(
      `vault is initialised but ${path} holds no keys: it was initialised outside this lab; unseal and authorise it yourself (the vault charm's README, "Post-deployment tasks"), then run \`lxdstack deploy\` again.`,
    );
  }
  for (const secret of [...saved.keys, saved.rootToken]) input.onSecret(secret);
  return saved;
}

async function unsealAll(
  api: VaultApi,
  units: readonly VaultUnit[],
  keys: SavedKeys,
  notes: string[],
): Promise<void> {
  let unsealed = 0;
  for (const unit of units) {
    if (!unit.address) throw new JobError(`${unit.name} has no address yet; run \`lxdstack deploy\` again`);
    let status = await api.sealStatus(unit.address);
    for (const key of keys.keys.slice(0, keys.threshold)) {
      if (!status.sealed) break;
      status = await api.unseal(unit.address, key);
    }
    if (status.sealed) {
      throw new JobError(`${unit.name} is still sealed after ${keys.threshold} keys`, {
        details: [`Check the keys in the lab's ${VAULT_KEYS_FILE} belong to this vault.`],
      });
    }
    unsealed += 1;
  }
  notes.push(`${unsealed} vault unit${unsealed === 1 ? '' : 's'} unsealed`);
}

export function vaultUnlockStep(input: VaultStepsInput): Step {
  const { spec, vault } = input;
  const manual = spec.vault.unlock === 'manual';
  return {
    name: 'vault',
    title: manual
      ? "Vault's post-deployment steps: init, unseal, authorize-charm, generate-root-ca"
      : 'Vault unlocks itself (lab only)',
    commands: () =>
      manual
        ? [
            `PUT http://<vault unit>:8200/v1/sys/init  (${spec.vault.keyShares} key shares, threshold ${spec.vault.keyThreshold}; keys saved 0600 in ${VAULT_KEYS_FILE})`,
            'PUT http://<each vault unit>:8200/v1/sys/unseal  (threshold keys, in the request body)',
            `POST http://<vault leader>:8200/v1/auth/token/create  (ttl ${TOKEN_TTL})`,
            vault.describeAction('authorize-charm', true),
            vault.describeAction('generate-root-ca'),
          ]
        : [`(${LAB_ONLY})`],
    satisfied: async () => {
      if (!manual) return LAB_ONLY;
      return allActive(await vault.units())
        ? 'every vault unit is active: unsealed, authorised, with its root CA'
        : undefined;
    },
    run: async (io) => {
      const api = vault.api;
      const units = await vaultUnitsUp(input, io);
      const leader = units.find((u) => u.leader)!;
      const notes: string[] = [];
      const keys = await initialisedKeys(input, api, leader.address!, notes);
      await unsealAll(api, units, keys, notes);
      if (isLadder(leader.message) && !leader.message.startsWith(VAULT_LADDER.noCa)) {
        const token = await api.createToken(leader.address!, keys.rootToken, TOKEN_TTL);
        input.onSecret(token);
        await vault.runAction('authorize-charm', { token });
        notes.push('charm authorised with a 10-minute token');
      }
      const ca = await vault.runAction('get-root-ca');
      if (!String(ca.output ?? '').includes('BEGIN CERTIFICATE')) {
        await vault.runAction('generate-root-ca');
        notes.push('root CA generated');
      }
      for (const note of notes) io.report(note);
      return notes.join('; ');
    },
    advice: () =>
      "read `lxdstack status` (vault's message says which post-deployment step it waits for) and `juju debug-log --include vault`",
  };
}

export function rootCaStep(input: VaultStepsInput): Step {
  const path = join(input.labDirectory, CA_FILE);
  return {
    name: 'ca',
    title: `Fetch vault's root CA into ${CA_FILE} (the OpenStack APIs serve https)`,
    commands: () => [`${input.vault.describeAction('get-root-ca')}  > ${path}`],
    satisfied: async () =>
      input.ledger.step('ca')?.state === 'done' && (await pathExists(path))
        ? `${path} written earlier`
        : undefined,
    run: async () => {
      const output = String((await input.vault.runAction('get-root-ca')).output ?? '').trim();
      if (!output.includes('BEGIN CERTIFICATE')) {
        throw new JobError('vault has no root CA yet (get-root-ca returned none)', {
          details: [
            input.spec.vault.unlock === 'manual'
              ? 'The vault step generates it: run `lxdstack deploy` again.'
              : 'auto-generate-root-ca-cert makes it once vault is unsealed: check `lxdstack status`.',
          ],
        });
      }
      // A CA certificate is public: readable by the clients that must trust it.
      await writeFileAtomic(path, `${output}\n`, 0o644);
      return path;
    },
    retries: 1,
  };
}
