import test, { type ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ledger } from '../../src/state/ledger.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import type { LabSpec } from '../../src/lab/schema.js';
import { parseYaml } from '../../src/util/yaml.js';
import type { CheckResult } from '../../src/lxd/checks.js';
import { createLxdClient } from '../../src/lxd/client.js';
import { runDoctorChecks } from '../../src/lxd/doctor.js';
import { applyDoctorFixes, procSysctl } from '../../src/lxd/host-changes.js';
import { execInInstance, removeInstance, waitForIpv4 } from '../../src/lxd/instances.js';
import { lxdExecRunner } from '../../src/lxd/exec-runner.js';
import { TimeoutError } from '../../src/util/errors.js';
import { addDashboardProxy, createNestedHost, nestedHostLayout } from '../../src/lxd/nested.js';
import { prepareLxd, type ModelProfile } from '../../src/lxd/prepare.js';
import { probeSysctl } from '../../src/lxd/probes.js';
import { lxdLeftovers, removeLabLxdResources, removeModelLeftovers } from '../../src/lxd/teardown.js';
import { runCli } from '../helpers/cli.js';

// Every check and fix against the real LXD that scripts/lxd-up.sh starts (the CLI test needs `npm run build`). Only resources named with
// this run's prefix are touched; the only addresses used are loopback and private bridge subnets.

const run = randomBytes(3).toString('hex');
const prefix = `lxdst-${run}`;
const client = createLxdClient({ timeoutMs: 10_000 });

test.before(async () => {
  try {
    await client.getServer();
  } catch (error) {
    throw new Error(
      `The real LXD is not reachable (${(error as Error).message}). Run \`bash scripts/lxd-up.sh\` first.`,
      { cause: error },
    );
  }
});

async function openLedger(): Promise<Ledger> {
  return Ledger.open(await mkdtemp(join(tmpdir(), 'lxdstack-real-')), 'lab', 'test');
}

/** This run's external network: its own bridge and a /24 no other run uses at the same time. */
const externalOctet = 100 + (parseInt(run, 16) % 150);
function testSpec(lxd: Partial<LabSpec['lxd']> = {}): LabSpec {
  const spec = defaultSpec('tutorial-2016');
  const network = {
    ...spec.network,
    externalCidr: `10.204.${externalOctet}.0/24`,
    gateway: `10.204.${externalOctet}.1`,
    externalBridge: `${prefix}x`,
  };
  return { ...spec, network, lxd: { ...spec.lxd, ...lxd } };
}

const only = (results: CheckResult[], id: string) => results.filter((r) => r.id === id);
const byId = (t: ExecutionContext, results: CheckResult[], id: string) => {
  const found = results.find((r) => r.id === id);
  if (!found) t.fail(`no ${id} check among ${results.map((r) => r.id).join(', ')}`);
  return found as CheckResult;
};

async function cleanup(action: () => Promise<unknown>): Promise<void> {
  await action().catch(() => undefined);
}

test.serial('a bridge with IPv6 on is found, fixed by --fix, and put back by teardown', async (t) => {
  const bridge = `lxdst6-${run}`;
  const ipv6 = `fd42:${run.slice(0, 4)}:${run.slice(4)}::1/64`;
  await client.createNetwork({
    name: bridge,
    config: {
      'ipv4.address': '10.203.92.1/24',
      'ipv4.nat': 'false',
      'ipv6.address': ipv6,
      'ipv6.nat': 'false',
    },
  });
  t.teardown(() => cleanup(() => client.deleteNetwork(bridge)));
  const input = { spec: testSpec({ bridge }), containerSmoke: false, juju: 'optional' as const };

  const before = await runDoctorChecks(input, { client });
  const check = byId(t, before, 'bridge-ipv6');
  t.is(check.status, 'fail');
  t.is(check.fix, `lxc network set ${bridge} ipv6.address=none`);

  const ledger = await openLedger();
  await applyDoctorFixes(only(before, 'bridge-ipv6'), ledger, { client });
  t.is((await client.getNetwork(bridge))?.config['ipv6.address'], 'none');
  t.is(byId(t, await runDoctorChecks(input, { client }), 'bridge-ipv6').status, 'pass');

  await removeLabLxdResources(ledger, client);
  t.is((await client.getNetwork(bridge))?.config['ipv6.address'], ipv6);
  t.deepEqual(ledger.liveResources(), []);
});

test.serial(
  'a missing storage pool is found, created as a dir pool by --fix, and removed by teardown',
  async (t) => {
    const pool = `${prefix}-pool`;
    t.teardown(() => cleanup(() => client.deleteStoragePool(pool)));
    const before = await runDoctorChecks(
      { spec: testSpec({ storagePool: pool }), containerSmoke: false },
      { client },
    );
    t.is(byId(t, before, 'storage-pool').status, 'fail');
    const ledger = await openLedger();
    await applyDoctorFixes(only(before, 'storage-pool'), ledger, { client });
    t.is((await client.getStoragePool(pool))?.driver, 'dir');
    const after = await runDoctorChecks(
      { spec: testSpec({ storagePool: pool }), containerSmoke: false },
      { client },
    );
    t.is(byId(t, after, 'storage-pool').status, 'pass');
    t.regex(byId(t, after, 'disk').measured, /GiB free/);
    await removeLabLxdResources(ledger, client);
    t.is(await client.getStoragePool(pool), undefined);
  },
);

test.serial('a low sysctl limit is raised by --fix and restored by teardown', async (t) => {
  const key = 'kernel.keys.maxkeys';
  const original = await procSysctl.read(key);
  t.truthy(original, `${key} is readable`);
  t.teardown(() => cleanup(() => procSysctl.write(key, original as string)));
  await procSysctl.write(key, '200'); // the kernel's default, below the guide's 2000
  const before = await runDoctorChecks({ spec: testSpec(), containerSmoke: false }, { client });
  t.is(byId(t, before, `sysctl:${key}`).status, 'warn');
  const ledger = await openLedger();
  const [fix] = await applyDoctorFixes(only(before, `sysctl:${key}`), ledger, { client });
  t.is(fix?.previous, '200');
  t.is(await procSysctl.read(key), '2000');
  await removeLabLxdResources(ledger, client);
  t.is(await procSysctl.read(key), '200');
});

test.serial(
  'the container smoke launches a local image, sees an IPv4 address, and leaves nothing behind',
  async (t) => {
    const results = await runDoctorChecks({ spec: testSpec(), containerSmoke: true }, { client });
    const smoke = byId(t, results, 'container-smoke');
    t.is(smoke.status, 'pass', smoke.measured);
    t.regex(smoke.measured, /got IPv4 10\.\d+\.\d+\.\d+/);
    t.is(byId(t, results, 'lxd-daemon').status, 'pass');
    const instances = await client.listInstances();
    t.deepEqual(
      instances.map((i) => i.name).filter((n) => n.startsWith(`lxdstack-doctor-${process.pid}-`)),
      [],
    );
  },
);

test.serial(
  'the model profile is applied and read back unchanged; an older profile is restored by teardown',
  async (t) => {
    const profile = parseYaml(
      await readFile(new URL('../fixtures/lxd/model-profile.yaml', import.meta.url), 'utf8'),
      'model-profile.yaml',
    ) as ModelProfile;
    const fresh = `${prefix}-fresh`;
    const existing = `${prefix}-old`;
    t.teardown(() => cleanup(() => client.deleteProfile(fresh)));
    t.teardown(() => cleanup(() => client.deleteProfile(existing)));
    const ledger = await openLedger();

    const report = await prepareLxd(testSpec(), { client, ledger, profileName: fresh, profile });
    t.false(report.pool.created || report.bridge.created, 'the pool and bridge of lxd-up.sh exist');
    t.deepEqual(report.profile, { name: fresh, created: true, dropped: [], changed: [] });
    t.is((await client.getProfile(fresh))?.devices.eth0?.mtu, '9000');

    await client.createProfile({
      name: existing,
      description: 'before lxdstack',
      config: { 'user.note': 'old' },
      devices: {},
    });
    const update = await prepareLxd(testSpec(), { client, ledger, profileName: existing, profile });
    t.false(update.profile.created);
    t.is((await client.getProfile(existing))?.config['security.nesting'], 'true');

    await removeLabLxdResources(ledger, client);
    t.is(await client.getProfile(fresh), undefined);
    const restored = await client.getProfile(existing);
    t.deepEqual(
      [restored?.description, restored?.config, restored?.devices],
      ['before lxdstack', { 'user.note': 'old' }, {}],
    );
  },
);

test.serial(
  "the nested layout's outer container is created from the local image with the tutorial's effective config",
  async (t) => {
    const name = `${prefix}-nest`;
    t.teardown(() => cleanup(() => removeInstance(client, name)));
    const spec = {
      ...testSpec(),
      target: { kind: 'nested-container' as const, cloud: 'localhost', container: name },
    };
    const ledger = await openLedger();
    const report = await createNestedHost(spec, { client, ledger, image: 'busybox' });
    t.true(report.created);
    const layout = nestedHostLayout(spec);
    for (const [key, value] of Object.entries(layout.config)) t.is(report.effective.config[key], value, key);
    t.deepEqual(report.effective.devices.mem, { type: 'unix-char', path: '/dev/mem' });
    const read = await client.getInstance(name);
    t.is(read?.expanded_config['security.privileged'], 'true');
    t.deepEqual(
      ledger.liveResources().map((r) => r.kind),
      ['lxd-instance'],
    );
    await removeLabLxdResources(ledger, client);
    t.is(await client.getInstance(name), undefined);
  },
);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

test.serial(
  "the engine's runner works in a real container: argv, exit codes, staged files, private files and the time limit",
  async (t) => {
    const name = `${prefix}-runner`;
    t.teardown(() => cleanup(() => removeInstance(client, name)));
    await client.createInstance({ name, source: { type: 'image', alias: 'busybox' } });
    await client.setInstanceState(name, 'start');
    const runner = lxdExecRunner(client, name, { env: { LAB_ROLE: 'outer' }, stageDir: '/tmp/stage' });

    const env = await runner.run('env', [], { timeoutMs: 10_000 });
    t.is(env.exitCode, 0);
    t.regex(env.stdout, /^LAB_ROLE=outer$/m);
    t.is(env.command, `lxc exec ${name} -- env`);
    t.is((await runner.run('ls', ['/no-such-dir'], { timeoutMs: 10_000 })).exitCode, 1);
    t.is((await runner.run('no-such-command', [], { timeoutMs: 10_000 })).exitCode, 127);

    const local = await mkdtemp(join(tmpdir(), 'lxdstack-runner-'));
    await mkdir(join(local, 'spell', 'steps'), { recursive: true });
    await writeFile(join(local, 'spell', 'steps', 'step-01.sh'), '#!/bin/sh\necho step one\n', {
      mode: 0o755,
    });
    const spell = await runner.stage(join(local, 'spell'));
    t.is(spell, '/tmp/stage/spell');
    const step = await runner.run(`${spell}/steps/step-01.sh`, [], { timeoutMs: 10_000 });
    t.is(step.stdout, 'step one\n');

    const seen = await runner.withPrivateFile('settings.yaml', 'admin-password: pw\n', async (path) => {
      const mode = await runner.run('stat', ['-c', '%a', path], { timeoutMs: 10_000 });
      return { path, mode: mode.stdout.trim() };
    });
    t.is(seen.mode, '600');
    t.is(
      (await runner.run('test', ['-e', seen.path], { timeoutMs: 10_000 })).exitCode,
      1,
      'removed after use',
    );

    const started = Date.now();
    await t.throwsAsync(runner.run('sleep', ['60'], { timeoutMs: 1_000 }), { instanceOf: TimeoutError });
    t.true(Date.now() - started < 20_000, 'the container killed the command itself');
    const left = await runner.run('ps', [], { timeoutMs: 10_000 });
    // busybox's `timeout` watcher lingers for its kill-after grace; the command itself is gone.
    t.notRegex(left.stdout, /^\s*\d+\s+\S+\s+sleep 60$/m);
  },
);

test.serial(
  'commands run inside an instance through the exec API, and a proxy device exposes its web server on loopback',
  async (t) => {
    const name = `${prefix}-exec`;
    t.teardown(() => cleanup(() => removeInstance(client, name)));
    const ledger = await openLedger();
    const record = await ledger.beginResource({ kind: 'lxd-instance', name });
    await client.createInstance({ name, source: { type: 'image', alias: 'busybox' } });
    await ledger.commitResource(record.id);
    await client.setInstanceState(name, 'start');
    t.truthy(await waitForIpv4(client, name, 15_000), 'the instance got an address on lxdbr0');

    const uname = await execInInstance(client, name, ['uname', '-s'], { timeoutMs: 10_000 });
    t.is(uname.stdout, 'Linux\n');
    const failing = await t.throwsAsync(
      execInInstance(client, name, ['ls', '/no-such-dir'], { timeoutMs: 10_000 }),
    );
    t.regex(
      failing?.message ?? '',
      new RegExp(
        `^\`lxc exec ${name} -- ls /no-such-dir\` exited with 1: ls: /no-such-dir: No such file or directory`,
      ),
    );

    await client.pushFile(name, '/tmp/index.html', `dashboard of ${name}\n`, 0o644);
    await execInInstance(client, name, ['httpd', '-p', '127.0.0.1:8080', '-h', '/tmp'], {
      timeoutMs: 10_000,
    });
    const port = await freePort();
    await addDashboardProxy(client, ledger, {
      instance: name,
      listen: `tcp:127.0.0.1:${port}`,
      connect: 'tcp:127.0.0.1:8080',
    });
    const page = await httpGet(`http://127.0.0.1:${port}/index.html`);
    t.deepEqual(page, { status: 200, body: `dashboard of ${name}\n` });

    await removeLabLxdResources(ledger, client);
    t.is(await client.getInstance(name), undefined);
    await t.throwsAsync(httpGet(`http://127.0.0.1:${port}/index.html`));
  },
);

test.serial(
  '`lxdstack doctor --fix` on a lab fixes its IPv6 bridge and records every change for teardown',
  async (t) => {
    const bridge = `lxdsc-${run}`;
    await client.createNetwork({
      name: bridge,
      config: {
        'ipv4.address': '10.203.94.1/24',
        'ipv4.nat': 'false',
        'ipv6.address': 'auto',
        'ipv6.nat': 'false',
      },
    });
    t.teardown(() => cleanup(() => client.deleteNetwork(bridge)));
    const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-doctor-fix-'));
    await writeFile(
      join(cwd, 'lab.yaml'),
      `name: fixlab\nprofile: tutorial-2016\nmodel: ${prefix}-fix\nlxd:\n  bridge: ${bridge}\n`,
    );
    const env = {
      PATH: process.env.PATH,
      LXDSTACK_JUJU: fileURLToPath(new URL('../fixtures/lxd/juju-2.9', import.meta.url)),
    };
    const sysctlBefore = await probeSysctl();

    const fixed = await runCli(['doctor', '--fix', '--no-container-smoke'], { cwd, env });
    t.regex(
      fixed.stdout,
      new RegExp(`^FIXED bridge-ipv6: lxc network set ${bridge} ipv6.address=none \\(was fd42:`, 'm'),
    );
    t.regex(
      fixed.stdout,
      /^PASS {2}Juju: LXDSTACK_JUJU=.*juju-2\.9 \(a stand-in such as the simulator\) reports 2\.9\.49/m,
    );
    t.regex(fixed.stdout, new RegExp(`^PASS {2}${bridge} IPv6: IPv6 off$`, 'm'));
    t.regex(fixed.stdout, new RegExp(`^FIXED model profile: lxc profile create juju-${prefix}-fix$`, 'm'));
    t.truthy(await client.getProfile(`juju-${prefix}-fix`), 'the model profile exists after --fix');
    const failed = fixed.stdout.split('\n').filter((line) => line.startsWith('FAIL'));
    t.is(
      fixed.exitCode,
      failed.length > 0 ? 3 : 0,
      'exit 3 exactly when a check still fails after the fixes',
    );

    const ledger = await Ledger.open(join(cwd, '.lxdstack', 'fixlab'), 'fixlab', 'test teardown');
    t.true(
      ledger
        .liveResources()
        .some((r) => r.kind === 'lxd-network-config' && r.name === `${bridge}:ipv6.address`),
    );
    await removeLabLxdResources(ledger, client);
    t.not((await client.getNetwork(bridge))?.config['ipv6.address'], 'none');
    t.is((await client.getNetwork(bridge))?.config['ipv4.nat'], 'false');
    t.deepEqual(await probeSysctl(), sysctlBefore, 'every sysctl is back to its value before --fix');
    t.is(await client.getProfile(`juju-${prefix}-fix`), undefined, 'teardown removed the model profile');
  },
);

test.serial(
  'prepare on a missing pool creates a dir pool, records it, and teardown removes it',
  async (t) => {
    const pool = `${prefix}-prep`;
    const profileName = `${prefix}-prep`;
    t.teardown(() => cleanup(() => client.deleteProfile(profileName)));
    t.teardown(() => cleanup(() => client.deleteStoragePool(pool)));
    const ledger = await openLedger();
    const profile: ModelProfile = {
      config: { 'security.nesting': 'true' },
      devices: { root: { type: 'disk', path: '/', pool } },
    };
    const report = await prepareLxd(testSpec({ storagePool: pool }), {
      client,
      ledger,
      profileName,
      profile,
    });
    t.deepEqual(
      [report.pool, report.commands[0]],
      [{ name: pool, driver: 'dir', created: true }, `lxc storage create ${pool} dir`],
    );
    t.is((await client.getStoragePool(pool))?.driver, 'dir');
    t.deepEqual(report.profile.dropped, []);
    await removeLabLxdResources(ledger, client);
    t.is(
      await client.getProfile(profileName),
      undefined,
      'the profile goes first, so the pool it used can go',
    );
    t.is(await client.getStoragePool(pool), undefined);
  },
);

test.serial(
  "after a forced destroy-model, the model's leftover instances and profiles are removed",
  async (t) => {
    const model = `lxdst-${run}`;
    const profile = `juju-${model}`;
    const instance = `${prefix}-m0`;
    t.teardown(() => cleanup(() => removeInstance(client, instance)));
    t.teardown(() => cleanup(() => client.deleteProfile(profile)));
    await client.createProfile({ name: profile, config: {}, devices: {} });
    await client.createInstance({
      name: instance,
      source: { type: 'image', alias: 'busybox' },
      profiles: ['default', profile],
    });
    const ledger = await openLedger();
    t.is((await lxdLeftovers(ledger, client, model)).length, 2);
    t.deepEqual(await removeModelLeftovers(client, model), [
      `lxc delete --force ${instance}`,
      `lxc profile delete ${profile}`,
    ]);
    t.deepEqual(await lxdLeftovers(ledger, client, model), []);
  },
);
