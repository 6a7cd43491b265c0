import test from 'ava';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VAULT_LADDER } from '../../src/juju/post-deployment.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import type { LabSpec } from '../../src/lab/schema.js';
import { runStepList } from '../../src/pipeline/task-list.js';
import type { VaultPort, VaultUnit } from '../../src/pipeline/vault-adapter.js';
import { CA_FILE, VAULT_KEYS_FILE, rootCaStep, vaultUnlockStep } from '../../src/pipeline/vault-steps.js';
import { Ledger } from '../../src/state/ledger.js';
import type { SealStatus, VaultApi } from '../../src/vault/api.js';
import { captureContext } from './context.js';

// The vault steps against a recorded vault: two units that climb the charm's ladder as the README's
// post-deployment steps are done (charm-behaviour.md §1), Vault's API answering as Vault does.

const CA = '-----BEGIN CERTIFICATE-----\nMIIB...lab\n-----END CERTIFICATE-----';

interface FakeVault {
  initialised: boolean;
  sealed: Record<string, boolean>;
  given: Record<string, number>;
  authorised: boolean;
  ca: boolean;
  keys: string[];
  rootToken: string;
  calls: string[];
  /** Parameters each action got, and whether they came as a params file. */
  actions: { action: string; secret?: Record<string, string> }[];
  /** Polls before the units show the ladder (vault still installing). */
  installingPolls: number;
}

const ADDRESSES: Record<string, string> = { 'vault/0': '10.1.0.10', 'vault/1': '10.1.0.11' };
const unitAt = (address: string) => Object.keys(ADDRESSES).find((u) => ADDRESSES[u] === address)!;

function newVault(): FakeVault {
  return {
    initialised: false,
    sealed: { 'vault/0': true, 'vault/1': true },
    given: { 'vault/0': 0, 'vault/1': 0 },
    authorised: false,
    ca: false,
    keys: ['key-aaaa-1', 'key-bbbb-2', 'key-cccc-3', 'key-dddd-4', 'key-eeee-5'],
    rootToken: 'root-token-secret',
    calls: [],
    actions: [],
    installingPolls: 1,
  };
}

function messageOf(vault: FakeVault, unit: string): string {
  if (!vault.initialised) return VAULT_LADDER.uninitialised;
  if (vault.sealed[unit]) return VAULT_LADDER.sealed;
  if (!vault.authorised) return VAULT_LADDER.unauthorised;
  if (!vault.ca) return VAULT_LADDER.noCa;
  return 'Unit is ready (active: true, mlock: disabled)';
}

function fakePort(vault: FakeVault, threshold = 3): VaultPort {
  const status = (address: string): SealStatus => ({
    initialized: vault.initialised,
    sealed: vault.sealed[unitAt(address)]!,
    threshold,
    progress: vault.given[unitAt(address)]!,
  });
  const api: VaultApi = {
    sealStatus: async (address) => status(address),
    async init(address, shares, t) {
      vault.calls.push(`init ${address} ${shares}/${t}`);
      vault.initialised = true;
      return { keys: vault.keys.slice(0, shares), rootToken: vault.rootToken };
    },
    async unseal(address, key) {
      const unit = unitAt(address);
      vault.calls.push(`unseal ${unit}`);
      if (!vault.keys.includes(key)) throw new Error('invalid key');
      vault.given[unit]! += 1;
      if (vault.given[unit]! >= threshold) vault.sealed[unit] = false;
      return status(address);
    },
    async createToken(address, rootToken, ttl) {
      vault.calls.push(`token ${ttl}`);
      if (rootToken !== vault.rootToken) throw new Error('permission denied');
      return 'short-lived-token';
    },
  };
  return {
    api,
    async units(): Promise<VaultUnit[]> {
      const installing = vault.installingPolls > 0;
      if (installing) vault.installingPolls -= 1;
      return Object.keys(ADDRESSES).map((name) => ({
        name,
        leader: name === 'vault/0',
        address: ADDRESSES[name]!,
        workload: installing
          ? 'maintenance'
          : messageOf(vault, name).startsWith('Unit is ready')
            ? 'active'
            : 'blocked',
        message: installing ? 'Installing vault' : messageOf(vault, name),
      }));
    },
    async runAction(action, secret) {
      vault.actions.push({ action, ...(secret ? { secret } : {}) });
      if (action === 'authorize-charm') {
        if (secret?.token !== 'short-lived-token') throw new Error('bad token');
        vault.authorised = true;
        return {};
      }
      if (action === 'generate-root-ca') {
        vault.ca = true;
        return { output: CA };
      }
      if (action === 'get-root-ca') return { output: vault.ca ? CA : '' };
      throw new Error(`unknown action ${action}`);
    },
    describeAction: (action, withParamsFile) =>
      `juju run -m lab:openstack vault/leader ${action}${withParamsFile ? ' --params <private params file>' : ''}`,
  };
}

async function runVaultSteps(vault: FakeVault, spec: LabSpec, options: { threshold?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-vault-'));
  const ledger = await Ledger.open(dir, spec.name, 'deploy');
  const secrets: string[] = ['admin-password'];
  const input = {
    spec,
    ledger,
    vault: fakePort(vault, options.threshold),
    labDirectory: dir,
    onSecret: (secret: string) => secrets.push(secret),
    waitTimeoutMs: 5_000,
    pollMs: 1,
  };
  const { ctx, stdout } = captureContext(dir);
  const steps = [vaultUnlockStep(input), rootCaStep(input)];
  const results = await runStepList(steps, ledger, ctx, {
    resumeCommand: 'lxdstack deploy',
    secrets,
    retryDelayMs: 0,
  });
  return { dir, results, stdout: stdout(), secrets, steps, ledger };
}

function manualSpec(): LabSpec {
  const spec = defaultSpec('modern');
  spec.vault = { unlock: 'manual', keyShares: 5, keyThreshold: 3 };
  return spec;
}

test('vault.unlock manual: init, every unit unsealed, authorize-charm with a token from a params file, generate-root-ca, ca.pem', async (t) => {
  const vault = newVault();
  const { dir, results, stdout, secrets } = await runVaultSteps(vault, manualSpec());
  t.deepEqual(
    results.map((r) => r.outcome.state),
    ['done', 'done'],
  );
  t.deepEqual(vault.calls, [
    'init 10.1.0.10 5/3',
    'unseal vault/0',
    'unseal vault/0',
    'unseal vault/0',
    'unseal vault/1',
    'unseal vault/1',
    'unseal vault/1',
    'token 10m',
  ]);
  t.deepEqual(vault.actions, [
    { action: 'authorize-charm', secret: { token: 'short-lived-token' } },
    { action: 'get-root-ca' },
    { action: 'generate-root-ca' },
    { action: 'get-root-ca' },
  ]);
  // keys and root token saved 0600 before anything else, registered as secrets, never printed
  const saved = JSON.parse(await readFile(join(dir, VAULT_KEYS_FILE), 'utf8')) as { keys: string[] };
  t.deepEqual(saved.keys, vault.keys);
  t.is((await stat(join(dir, VAULT_KEYS_FILE))).mode & 0o777, 0o600);
  for (const secret of [...vault.keys, vault.rootToken, 'short-lived-token']) {
    t.true(secrets.includes(secret), `${secret} registered for redaction`);
    t.false(stdout.includes(secret), `${secret} never printed`);
  }
  t.is(await readFile(join(dir, CA_FILE), 'utf8'), `${CA}\n`);
  t.regex(stdout, /vault initialised with 5 key shares \(threshold 3\)/);
});

test('vault.unlock manual resumes: an initialised vault is unsealed with the saved keys, not initialised again', async (t) => {
  const vault = newVault();
  const spec = manualSpec();
  const first = await runVaultSteps(vault, spec);
  // vault restarted: sealed again, the lab folder keeps the keys
  vault.sealed = { 'vault/0': true, 'vault/1': true };
  vault.given = { 'vault/0': 0, 'vault/1': 0 };
  vault.calls = [];
  vault.actions = [];
  const ledger = await Ledger.open(first.dir, spec.name, 'deploy');
  const input = {
    spec,
    ledger,
    vault: fakePort(vault),
    labDirectory: first.dir,
    onSecret: () => {},
    waitTimeoutMs: 5_000,
    pollMs: 1,
  };
  const { ctx } = captureContext(first.dir);
  await runStepList([vaultUnlockStep(input)], ledger, ctx, {
    resumeCommand: 'lxdstack deploy',
    secrets: [],
    retryDelayMs: 0,
  });
  t.false(vault.calls.some((c) => c.startsWith('init')));
  t.is(vault.calls.filter((c) => c.startsWith('unseal')).length, 6);
  t.false(
    vault.actions.some((a) => a.action === 'generate-root-ca'),
    'the CA exists already',
  );
});

test('a vault initialised outside the lab is not touched: the step says how to go on', async (t) => {
  const vault = newVault();
  vault.initialised = true;
  const error = await t.throwsAsync(runVaultSteps(vault, manualSpec()));
  t.regex(
    error.message,
    /Vault's post-deployment steps.*holds no keys: it was initialised outside this lab/s,
  );
  t.deepEqual(vault.actions, []);
});

test('vault.unlock auto (the lab default): no post-deployment step, the plan says lab only; the CA is still fetched', async (t) => {
  const vault = newVault();
  vault.initialised = true;
  vault.sealed = { 'vault/0': false, 'vault/1': false };
  vault.authorised = true;
  vault.ca = true;
  const { dir, results, steps } = await runVaultSteps(vault, defaultSpec('modern'));
  t.is(results[0]!.outcome.state, 'skipped');
  t.regex(steps[0]!.commands()[0]!, /lab only, never for production/);
  t.deepEqual(vault.calls, []);
  t.deepEqual(vault.actions, [{ action: 'get-root-ca' }]);
  t.is(await readFile(join(dir, CA_FILE), 'utf8'), `${CA}\n`);
});

test('the CA step fails with the next step when vault has no CA yet', async (t) => {
  const vault = newVault();
  vault.initialised = true;
  vault.sealed = { 'vault/0': false, 'vault/1': false };
  vault.authorised = true;
  const error = await t.throwsAsync(runVaultSteps(vault, defaultSpec('modern')));
  t.regex(error.message, /vault has no root CA yet/);
});

test('the manual step lists the README steps with the params file, and no secret, for plan and --dry-run', async (t) => {
  const input = {
    spec: manualSpec(),
    ledger: await Ledger.inspect(tmpdir(), 'x'),
    vault: fakePort(newVault()),
    labDirectory: '/lab',
    onSecret: () => {},
    waitTimeoutMs: 0,
  };
  const commands = vaultUnlockStep(input).commands();
  t.regex(commands[0]!, /sys\/init.*5 key shares, threshold 3/);
  t.true(
    commands.includes(
      'juju run -m lab:openstack vault/leader authorize-charm --params <private params file>',
    ),
  );
  t.true(commands.includes('juju run -m lab:openstack vault/leader generate-root-ca'));
  t.deepEqual(rootCaStep(input).commands(), [
    'juju run -m lab:openstack vault/leader get-root-ca  > /lab/ca.pem',
  ]);
});
