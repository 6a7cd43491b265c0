import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimJuju } from '../../src/sim/juju/dispatch.js';
import { handleSimVaultRequest } from '../../src/sim/vault/api.js';

// End to end through the simulated juju: a small bundle deploys, `juju status --format json` shows each
// charm's own message, and the vault README's post-deploy steps (init, unseal, a short-lived token,
// authorize-charm with the token in a params file, generate-root-ca) move vault to ready.

const BUNDLE = `default-base: ubuntu@22.04
applications:
  vault: {charm: vault, channel: 1.8/stable, num_units: 1}
  keystone: {charm: keystone, channel: 2024.1/stable, num_units: 1}
  keystone-mysql-router: {charm: mysql-router, channel: 8.0/stable}
  mysql-innodb-cluster: {charm: mysql-innodb-cluster, channel: 8.0/stable, num_units: 3}
  openstack-dashboard: {charm: openstack-dashboard, channel: 2024.1/stable, num_units: 1}
  ovn-central: {charm: ovn-central, channel: 24.03/stable, num_units: 3}
relations:
- [keystone:shared-db, keystone-mysql-router:shared-db]
- [keystone-mysql-router:db-router, mysql-innodb-cluster:db-router]
- [openstack-dashboard:identity-service, keystone:identity-service]
- [vault:certificates, keystone:certificates]
- [vault:certificates, openstack-dashboard:certificates]
- [vault:certificates, ovn-central:certificates]
`;

interface Unit {
  'workload-status': { current: string; message?: string };
  'open-ports'?: string[];
}
interface StatusDoc {
  applications: Record<string, { 'application-status': { message?: string }; units?: Record<string, Unit> }>;
}

async function simulator(version: string) {
  const home = await mkdtemp(join(tmpdir(), 'lxdstack-simhome-'));
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    LXDSTACK_SIM_DIR: join(home, 'sim-state'),
    LXDSTACK_SIM_JUJU_VERSION: version,
    LXDSTACK_SIM_SPEED: '0',
  };
  const juju = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runSimJuju(argv, env, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  };
  const deploy = async (bundle: string) => {
    await mkdir(join(home, 'lab'), { recursive: true });
    await writeFile(join(home, 'lab', 'bundle.yaml'), bundle);
    await juju('bootstrap', 'localhost', 'lab');
    await juju('add-model', 'openstack');
    return juju('deploy', join(home, 'lab', 'bundle.yaml'));
  };
  const status = async () => JSON.parse((await juju('status', '--format', 'json')).stdout) as StatusDoc;
  const message = (doc: StatusDoc, unit: string) => {
    const found = doc.applications[unit.split('/')[0]!]!.units![unit]!['workload-status'];
    return `${found.current}: ${found.message ?? ''}`;
  };
  return { home, juju, deploy, status, message };
}

test("the vault README's steps through juju exec and juju run take vault from uninitialised to ready", async (t) => {
  const sim = await simulator('3.6.1');
  const deployed = await sim.deploy(BUNDLE);
  t.is(deployed.code, 0, deployed.stderr);
  let doc = await sim.status();
  t.is(sim.message(doc, 'vault/0'), 'blocked: Vault needs to be initialized');
  t.is(
    sim.message(doc, 'ovn-central/0'),
    "waiting: 'ovsdb-peer' incomplete, 'certificates' awaiting server certificate data",
  );
  t.is(doc.applications.keystone!['application-status'].message, 'Application Ready');
  t.deepEqual(doc.applications['openstack-dashboard']!.units!['openstack-dashboard/0']!['open-ports'], [
    '80/tcp',
  ]);

  const keystoneProtocol = async () => {
    const shown = JSON.parse(
      (await sim.juju('show-unit', 'keystone/0', '--format', 'json')).stdout,
    ) as Record<
      string,
      { 'relation-info': { endpoint: string; 'local-unit': { data: Record<string, string> } }[] }
    >;
    const identity = shown['keystone/0']!['relation-info'].find((r) => r.endpoint === 'identity-service')!;
    return identity['local-unit'].data.service_protocol;
  };
  t.is(await keystoneProtocol(), 'http', 'keystone publishes http endpoints until vault has a CA');

  const vault = (...command: string[]) =>
    sim.juju(
      'exec',
      '--format',
      'json',
      '--unit',
      'vault/0',
      '--',
      'env',
      'VAULT_ADDR=http://127.0.0.1:8200',
      ...command,
    );
  const wrongAddress = await sim.juju(
    'exec',
    '--format',
    'json',
    '--unit',
    'vault/0',
    '--',
    'vault',
    'status',
  );
  t.is(wrongAddress.code, 1, 'the client defaults to https, the charm serves http');
  t.regex(wrongAddress.stdout, /http: server gave HTTP response to HTTPS client/);

  const init = await vault('vault', 'operator', 'init', '-key-shares=5', '-key-threshold=3', '-format=json');
  t.is(init.code, 0, init.stderr);
  const keys = JSON.parse(
    (JSON.parse(init.stdout) as Record<string, { results: { stdout: string } }>)['vault/0']!.results.stdout,
  ) as { unseal_keys_b64: string[]; root_token: string; unseal_threshold: number };
  t.is(keys.unseal_keys_b64.length, 5);
  t.is(keys.unseal_threshold, 3);
  t.is(sim.message(await sim.status(), 'vault/0'), 'blocked: Unit is sealed');
  t.regex((await vault('vault', 'operator', 'unseal', 'not-a-key')).stderr, /the following task failed/);
  for (const key of keys.unseal_keys_b64.slice(0, 3))
    t.is((await vault('vault', 'operator', 'unseal', key)).code, 0);
  t.is(
    sim.message(await sim.status(), 'vault/0'),
    'blocked: Vault charm not yet authorized: run authorize-charm action.',
  );

  const created = await vault(
    `VAULT_TOKEN=${keys.root_token}`,
    'vault',
    'token',
    'create',
    '-ttl=10m',
    '-format=json',
  );
  t.is(created.code, 0, created.stderr);
  const token = (
    JSON.parse(
      (JSON.parse(created.stdout) as Record<string, { results: { stdout: string } }>)['vault/0']!.results
        .stdout,
    ) as { auth: { client_token: string } }
  ).auth.client_token;
  const params = join(sim.home, 'lab', 'authorize.yaml');
  await writeFile(params, `token: not-the-token\n`);
  const refused = await sim.juju(
    'run',
    'vault/leader',
    'authorize-charm',
    '--params',
    params,
    '--format',
    'json',
  );
  t.is(refused.code, 1);
  t.regex(refused.stderr, /\nERROR the following task failed:\n - id "\d+" with return code 1\n/);
  await writeFile(params, `token: ${token}\n`, { mode: 0o600 });
  const authorised = await sim.juju(
    'run',
    'vault/leader',
    'authorize-charm',
    '--params',
    params,
    '--format',
    'json',
  );
  t.is(authorised.code, 0, authorised.stderr);
  t.is((JSON.parse(authorised.stdout) as Record<string, { status: string }>)['vault/0']!.status, 'completed');
  t.is(sim.message(await sim.status(), 'vault/0'), 'blocked: Missing CA cert');

  const generated = await sim.juju('run', 'vault/leader', 'generate-root-ca', '--format', 'json');
  t.is(generated.code, 0, generated.stderr);
  const pem = (JSON.parse(generated.stdout) as Record<string, { results: { output: string } }>)['vault/0']!
    .results.output;
  t.regex(new X509Certificate(pem).subject, /Vault Root Certificate Authority/);
  const fetched = await sim.juju('run', 'vault/0', 'get-root-ca', '--format', 'json');
  t.is(
    (JSON.parse(fetched.stdout) as Record<string, { results: { output: string } }>)['vault/0']!.results
      .output,
    pem,
  );

  doc = await sim.status();
  t.is(sim.message(doc, 'vault/0'), 'active: Unit is ready (active: true, mlock: disabled)');
  t.is(sim.message(doc, 'ovn-central/0'), 'active: Unit is ready (leader: ovnnb_db, ovnsb_db)');
  t.deepEqual(
    doc.applications['openstack-dashboard']!.units!['openstack-dashboard/0']!['open-ports'],
    ['80/tcp', '443/tcp'],
    'the dashboard serves https once the CA reached it',
  );
  t.is(await keystoneProtocol(), 'https', 'and keystone re-publishes its endpoints as https');
});

test('a bundle that drops a relation stalls on the charm’s own message; one without the vault step stalls on vault', async (t) => {
  const sim = await simulator('3.6.1');
  const withoutDatabase = BUNDLE.replace('- [keystone:shared-db, keystone-mysql-router:shared-db]\n', '');
  t.is((await sim.deploy(withoutDatabase)).code, 0);
  const doc = await sim.status();
  t.is(sim.message(doc, 'keystone/0'), 'blocked: Missing relations: database');
  t.is(sim.message(doc, 'openstack-dashboard/0'), 'waiting: Incomplete relations: identity');
  t.is(sim.message(doc, 'vault/0'), 'blocked: Vault needs to be initialized');
});

test('2.9 run-action --wait prints its unit-<name> document with UnitId and timing; without --wait only the id', async (t) => {
  const sim = await simulator('2.9.46');
  const bundle = `series: jammy
applications:
  vault:
    charm: vault
    channel: 1.8/stable
    num_units: 1
    options: {totally-unsecure-auto-unlock: true, auto-generate-root-ca-cert: true}
`;
  t.is((await sim.deploy(bundle)).code, 0);
  t.is(sim.message(await sim.status(), 'vault/0'), 'active: Unit is ready (active: true, mlock: disabled)');
  const waited = await sim.juju('run-action', 'vault/0', 'get-root-ca', '--wait=60s', '--format', 'json');
  t.is(waited.code, 0, waited.stderr);
  const doc = JSON.parse(waited.stdout) as Record<string, Record<string, unknown>>;
  t.deepEqual(Object.keys(doc), ['unit-vault-0']);
  t.is(doc['unit-vault-0']!.UnitId, 'vault/0');
  t.is(doc['unit-vault-0']!.status, 'completed');
  t.regex(
    String((doc['unit-vault-0']!.results as { output: string }).output),
    /^-----BEGIN CERTIFICATE-----/,
  );
  t.regex(
    String((doc['unit-vault-0']!.timing as { completed: string }).completed),
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/,
  );
  const queued = await sim.juju('run-action', 'vault/0', 'authorize-charm', 'token=x');
  t.regex(queued.stdout, /^Action queued with id: "\d+"\n$/);
  const missing = await sim.juju('run-action', 'vault/0', 'authorize-charm', '--wait=60s');
  t.is(missing.code, 1);
  t.is(
    missing.stderr,
    'ERROR validation failed: (root) : "token" property is missing and required, given {}\n',
  );
});

test("Vault's HTTP API in-process: init, unseal and a token in request bodies, then authorize-charm", async (t) => {
  const sim = await simulator('3.6.1');
  t.is((await sim.deploy(BUNDLE)).code, 0);
  const doc = JSON.parse((await sim.juju('status', '--format', 'json')).stdout) as {
    applications: { vault: { units: Record<string, { 'public-address': string }> } };
  };
  const base = `http://${doc.applications.vault.units['vault/0']!['public-address']}:8200`;
  const call = (
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    body?: Record<string, unknown>,
    token?: string,
  ) =>
    handleSimVaultRequest(
      join(sim.home, 'sim-state'),
      { url: `${base}${path}`, method, ...(body ? { body } : {}), ...(token ? { token } : {}) },
      { speed: 0 },
    );
  t.is((await call('GET', '/v1/sys/health')).status, 501);
  t.is((await call('GET', '/v1/sys/health')).status, 501, 'asking changes nothing');
  const init = await call('PUT', '/v1/sys/init', { secret_shares: 3, secret_threshold: 2 });
  t.is(init.status, 200);
  const { keys, root_token: root } = init.body as { keys: string[]; root_token: string };
  t.is((await call('PUT', '/v1/sys/init', { secret_shares: 3, secret_threshold: 2 })).status, 400);
  t.is((await call('GET', '/v1/sys/health')).status, 503);
  t.is(((await call('PUT', '/v1/sys/unseal', { key: keys[0] })).body as { progress: number }).progress, 1);
  t.false(((await call('PUT', '/v1/sys/unseal', { key: keys[2] })).body as { sealed: boolean }).sealed);
  t.is((await call('GET', '/v1/sys/health')).status, 200);
  t.is((await call('POST', '/v1/auth/token/create', { ttl: '10m' }, 'bogus')).status, 403);
  const created = await call('POST', '/v1/auth/token/create', { ttl: '10m' }, root);
  const token = (created.body as { auth: { client_token: string } }).auth.client_token;
  t.regex(token, /^s\.[A-Za-z0-9]{24}$/);
  await writeFile(join(sim.home, 'lab', 'params.yaml'), `token: ${token}\n`);
  const authorised = await sim.juju(
    'run',
    'vault/0',
    'authorize-charm',
    '--params',
    join(sim.home, 'lab', 'params.yaml'),
  );
  t.is(authorised.code, 0, authorised.stderr);
  t.is(sim.message(await sim.status(), 'vault/0'), 'blocked: Missing CA cert');
  t.is(
    (
      await handleSimVaultRequest(
        join(sim.home, 'sim-state'),
        { url: 'http://10.9.9.9:8200/v1/sys/health', method: 'GET' },
        { speed: 0 },
      )
    ).status,
    503,
  );
});

test('vault actions that only the leader runs fail elsewhere with the charm’s message; the leader succeeds', async (t) => {
  const sim = await simulator('3.6.1');
  const bundle = `default-base: ubuntu@22.04
applications:
  vault:
    charm: vault
    channel: 1.8/stable
    num_units: 2
    options: {totally-unsecure-auto-unlock: true}
`;
  t.is((await sim.deploy(bundle)).code, 0);
  const elsewhere = await sim.juju('run', 'vault/1', 'generate-root-ca', '--format', 'json');
  t.is(elsewhere.code, 1);
  const failed = (JSON.parse(elsewhere.stdout) as Record<string, { status: string; message: string }>)[
    'vault/1'
  ]!;
  t.deepEqual([failed.status, failed.message], ['failed', 'Please run action on lead unit']);
  t.regex(elsewhere.stderr, /ERROR the following task failed:\n - id "\d+" with return code 0\n/);
  const leader = await sim.juju('run', 'vault/leader', 'generate-root-ca', '--format', 'json');
  t.is(leader.code, 0, leader.stderr);
  t.is(sim.message(await sim.status(), 'vault/1'), 'active: Unit is ready (active: false, mlock: disabled)');
});
