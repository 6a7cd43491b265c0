import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenStackClient, type OpenStackClient } from '../../src/openstack/client.js';
import { configureCloud, removeCloudResources, type ConfigureReport } from '../../src/openstack/configure.js';
import { OpenStackAuthError } from '../../src/openstack/errors.js';
import {
  EXTERNAL_NETWORK,
  KEYPAIR,
  ROUTER,
  TENANT_NETWORK,
  flavorsForHost,
  imagePlan,
  largestHost,
} from '../../src/openstack/plan.js';
import { Ledger } from '../../src/state/ledger.js';
import { runSmokeSuite } from '../../src/smoke/suite.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { InputError } from '../../src/util/errors.js';
import { labStateDir } from '../../src/util/paths.js';
import { runCli } from '../helpers/cli.js';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  COMPUTE_STATE,
  TEST_CLOUD,
  TEST_CLOUD_ENV,
  TEST_FLAVOR_NAME,
  TEST_IMAGE_NAME,
  resetLabResources,
  testCloudClient,
  testImageFile,
} from './real-cloud.js';

// Against the services of scripts/test-services.sh (OpenStack APIs, and a real libvirt-LXC compute), in
// order: configure twice (the lab's image is the real compute's root file system), the whole smoke suite with
// instances that boot and compute, `lxdstack verify` with reports, the failure paths, and removal. Serial:
// each step uses the last one's cloud.

const spec = { ...defaultSpec('tutorial-2016'), name: 'oslab' };
const image = imagePlan(spec).name;
const publicKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBm3o0bEqHMIPPy1Ck4Pk6pYsy2lp7eSRzwM0mQ8LWJR lxdstack-test';

interface World {
  client: OpenStackClient;
  cwd: string;
  labDirectory: string;
  imagePath: string;
  checksum: string;
  imageSize: number;
  first?: ConfigureReport;
}
let world: World | undefined;

async function setUp(): Promise<World> {
  if (world) return world;
  const client = await testCloudClient();
  await resetLabResources(client, image);
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-os-real-'));
  await writeFile(join(cwd, 'lab.yaml'), `name: ${spec.name}\nprofile: tutorial-2016\n`);
  const file = await testImageFile();
  world = {
    client,
    cwd,
    labDirectory: labStateDir(join(cwd, 'lab.yaml'), spec.name),
    imagePath: file.path,
    checksum: file.checksum,
    imageSize: file.size,
  };
  return world;
}

const configure = async (w: World) =>
  configureCloud(w.client, spec, {
    ledger: await Ledger.open(w.labDirectory, spec.name, 'deploy'),
    image: { path: w.imagePath, checksum: w.checksum },
    sshPublicKey: publicKey,
    outDir: w.labDirectory,
  });

test.serial(
  'configuration creates every resource once, records each in the ledger, and writes 0600 client files',
  async (t) => {
    t.timeout(300_000);
    const w = await setUp();
    const report = await configure(w);
    w.first = report;
    // the flavors that fit the real compute host (this machine), as configure sizes them
    const flavors = flavorsForHost(largestHost(await w.client.listHypervisors())!);
    t.deepEqual(
      report.items.map((i) => `${i.kind} ${i.name} ${i.action}`),
      [
        `openstack-image ${image} created`,
        ...flavors.map((f) => `openstack-flavor ${f.name} created`),
        `openstack-keypair ${KEYPAIR} created`,
        `openstack-network ${EXTERNAL_NETWORK} created`,
        'openstack-subnet ext-subnet created',
        `openstack-network ${TENANT_NETWORK} created`,
        'openstack-subnet ubuntu-subnet created',
        `openstack-router ${ROUTER} created`,
        'openstack-security-group-rule default/icmp created',
        'openstack-security-group-rule default/ssh created',
      ],
    );
    const ledger = await Ledger.open(w.labDirectory, spec.name, 'check');
    const recorded = ledger.liveResources().filter((r) => r.kind.startsWith('openstack-'));
    t.is(recorded.length, 9 + flavors.length);
    for (const record of recorded) t.is(record.state, 'created');
    t.deepEqual(
      recorded.map((r) => r.data?.id),
      report.items.map((i) => i.id),
    );
    const glanceImage = await w.client.getImage(report.items[0]!.id);
    t.like(glanceImage, {
      status: 'active',
      disk_format: 'raw',
      container_format: 'bare',
      size: w.imageSize,
    });
    const subnet = (await w.client.listSubnets({ name: 'ext-subnet' }))[0];
    t.like(subnet, { cidr: spec.network.externalCidr, gateway_ip: spec.network.gateway });
    for (const file of report.files) t.is((await stat(file)).mode & 0o777, 0o600);
    t.regex(await readFile(join(w.labDirectory, 'novarc'), 'utf8'), /export OS_PASSWORD='smoke-secret'/);
  },
);

test.serial('configuration run a second time creates nothing and reuses every resource', async (t) => {
  t.timeout(300_000);
  const w = await setUp();
  const before = (await Ledger.open(w.labDirectory, spec.name, 'check')).liveResources().length;
  const second = await configure(w);
  t.deepEqual(
    second.items.filter((i) => i.action !== 'reused'),
    [],
  );
  t.deepEqual(
    second.items.map((i) => i.id),
    w.first?.items.map((i) => i.id),
  );
  t.is((await Ledger.open(w.labDirectory, spec.name, 'check')).liveResources().length, before);
});

/** The libvirt domains (by UUID), instance folders and loop devices the real compute still holds for `ids`. */
function computeLeftovers(ids: readonly string[]): string[] {
  const domains = execFileSync('virsh', ['-c', 'lxc:///', 'list', '--all', '--uuid'], { encoding: 'utf8' });
  const loops = execFileSync('losetup', ['-a'], { encoding: 'utf8' });
  return ids.flatMap((id) => [
    ...(domains.includes(id) ? [`libvirt domain ${id}`] : []),
    ...(existsSync(join(COMPUTE_STATE, 'instances', id)) ? [`instance folder ${id}`] : []),
    ...(loops.includes(id) ? [`loop device of ${id}`] : []),
  ]);
}

test.serial(
  'the whole smoke suite boots instances that compute, checks every result, skips only what has no network, and leaves nothing behind',
  async (t) => {
    t.timeout(400_000);
    const w = await setUp();
    const prefix = `lxdstack-real-${randomBytes(2).toString('hex')}`;
    const report = await runSmokeSuite({
      suite: 'full',
      client: w.client,
      hypervisorType: 'lxc',
      computeCount: 1,
      instanceCount: 3,
      imageName: image,
      flavorName: 'm1.tiny',
      keypairName: KEYPAIR,
      externalNetworkName: EXTERNAL_NETWORK,
      tenantNetworkName: TENANT_NETWORK,
      namePrefix: prefix,
      jujuChecks: [{ name: 'juju-applications-active', ok: true, detail: 'given by the caller' }],
    });
    const outcome = Object.fromEntries(report.checks.map((c) => [c.name, c.outcome]));
    t.deepEqual(
      outcome,
      {
        'juju-applications-active': 'pass',
        'auth-catalog': 'pass',
        'compute-services': 'pass',
        'network-agents': 'skip',
        hypervisors: 'pass',
        image: 'pass',
        flavor: 'pass',
        keypair: 'pass',
        'instance-boot': 'pass',
        'instance-console': 'pass',
        'floating-ip': 'pass',
        ping: 'skip',
        ssh: 'skip',
        'compute-boot': 'pass',
        'compute-results': 'pass',
        cleanup: 'pass',
      },
      JSON.stringify(report.checks, null, 1),
    );
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    t.regex(byName.hypervisors!.detail!, /type lxc/);
    t.regex(
      byName['instance-console']!.detail!,
      /the console shows "Cloud-init v\. lxdstack-init finished at/,
    );
    t.regex(byName['compute-boot']!.detail!, /^3 instances ACTIVE/);
    t.regex(byName['compute-results']!.detail!, /^3 results verified/);
    const instances = byName['compute-results']!.instances!;
    t.is(instances.length, 3);
    t.deepEqual(new Set(instances.map((i) => i.task.split(' ')[0])).size, 3, 'three kinds of computation');
    for (const instance of instances) {
      t.true(instance.ok);
      t.is(instance.result, instance.expected);
      t.truthy(instance.host);
      t.true(instance.resultMs! >= instance.bootMs!);
    }
    t.regex(byName.ping!.detail!, /booted without a network/);
    t.regex(byName.cleanup!.detail!, /deleted 4 instances \(gone: GET answers 404\) and 1 floating IP$/);
    t.true(report.ok);
    t.deepEqual(await w.client.listServers(`^${prefix}`), []);
    t.deepEqual(computeLeftovers(instances.map((i) => i.id!)), []);
  },
);

test.serial(
  'lxdstack verify against the cloud writes JUnit and HTML reports, with no secret in them',
  async (t) => {
    t.timeout(300_000);
    const w = await setUp();
    const out = join(w.cwd, 'reports-env');
    const result = await runCli(
      [
        'verify',
        '--suite',
        'full',
        '--image',
        TEST_IMAGE_NAME,
        '--flavor',
        TEST_FLAVOR_NAME,
        '--report',
        'junit,html',
        '--out',
        out,
      ],
      {
        cwd: await mkdtemp(join(tmpdir(), 'lxdstack-nolab-')),
        env: { ...process.env, ...TEST_CLOUD_ENV },
        timeoutMs: 280_000,
      },
    );
    t.is(result.exitCode, 0, result.stdout + result.stderr);
    t.regex(result.stdout, /^Verifying the OS_\* environment\./);
    t.regex(result.stdout, /OK: \d+ passed, 0 failed, \d+ skipped/);
    const junit = await readFile(join(out, 'smoke-report.junit.xml'), 'utf8');
    t.regex(junit, /<testsuites name="lxdstack smoke full" tests="15" failures="0"/);
    const html = await readFile(join(out, 'smoke-report.html'), 'utf8');
    t.regex(html, /<div class="verdict ok">PASSED<\/div>/);
    for (const text of [result.stdout, result.stderr, junit, html])
      t.false(text.includes(TEST_CLOUD.password));
  },
);

test.serial(
  'lxdstack verify of the lab uses its clouds.yaml and reports the hypervisor that is not the lab’s',
  async (t) => {
    t.timeout(300_000);
    const w = await setUp();
    const result = await runCli(['verify', '--suite', 'quick', '--report', 'json'], {
      cwd: w.cwd,
      env: { ...process.env, OS_AUTH_URL: '' },
      timeoutMs: 120_000,
    });
    t.is(result.exitCode, 1, result.stdout + result.stderr);
    t.regex(result.stdout, /^Verifying lab oslab\./);
    t.regex(result.stdout, /FAIL {2}hypervisors .*hypervisor type lxc where lxd was expected/);
    t.regex(result.stdout, /PASS {2}keypair .*ubuntu-keypair/);
    const json = JSON.parse(
      await readFile(join(w.labDirectory, 'reports', 'latest', 'smoke-report.json'), 'utf8'),
    );
    t.is(json.summary.fail, 1);
  },
);

test.serial('a wrong password is a clear authentication error, from the API and from the CLI', async (t) => {
  const w = await setUp();
  const client = await createOpenStackClient({ ...TEST_CLOUD, password: 'not-the-password' });
  const error = await t.throwsAsync(client.authenticate(), { instanceOf: OpenStackAuthError });
  t.regex(
    error.message,
    /refused the credentials of user "admin" \(domain Default\) for project "admin" \(HTTP 401\)/,
  );
  await writeFile(join(w.labDirectory, 'admin-password'), 'not-the-password\n', { mode: 0o600 });
  try {
    const result = await runCli(['verify', '--suite', 'quick'], { cwd: w.cwd, timeoutMs: 120_000 });
    t.is(result.exitCode, 1);
    t.regex(result.stdout, /FAIL {2}auth-catalog .*refused the credentials/);
    t.regex(result.stdout, /SKIP {2}image .*authentication or the catalog failed/);
    t.false((result.stdout + result.stderr).includes('not-the-password'));
  } finally {
    await writeFile(join(w.labDirectory, 'admin-password'), `${TEST_CLOUD.password}\n`, { mode: 0o600 });
  }
});

test.serial(
  'an image with the wrong checksum is refused before upload, and an image left queued fails the image check',
  async (t) => {
    t.timeout(120_000);
    const w = await setUp();
    const name = `lxdstack-bad-${randomBytes(2).toString('hex')}`;
    const ledger = await Ledger.open(join(w.cwd, 'bad'), 'bad', 'deploy');
    const error = await t.throwsAsync(
      configureCloud(w.client, spec, {
        ledger,
        image: { path: w.imagePath, checksum: `sha256:${'0'.repeat(64)}`, name },
        sshPublicKey: publicKey,
        outDir: join(w.cwd, 'bad'),
      }),
      { instanceOf: InputError },
    );
    t.regex(error.message, /has sha256 [0-9a-f]{64}, not the expected 0{64}/);
    t.deepEqual(await w.client.listImages({ name }), []);

    const queued = await w.client.createImage({ name, diskFormat: 'raw', containerFormat: 'bare' });
    try {
      const report = await runSmokeSuite({
        suite: 'quick',
        client: w.client,
        computeCount: 1,
        imageName: name,
      });
      const check = report.checks.find((c) => c.name === 'image');
      t.like(check, { outcome: 'fail' });
      t.regex(check!.cause!, new RegExp(`image ${name} is queued, not active`));
      t.false(report.ok);
    } finally {
      await w.client.deleteImage(queued.id);
    }
  },
);

test.serial(
  'an instance that goes to ERROR fails with nova’s fault, and the suite still cleans up',
  async (t) => {
    t.timeout(300_000);
    const w = await setUp();
    const prefix = `lxdstack-err-${randomBytes(2).toString('hex')}`;
    const flavor = await w.client.createFlavor({
      name: `${prefix}-huge`,
      ram: 512,
      vcpus: 1,
      disk: 900_000, // more than the compute host's disk: the scheduler finds no host
    });
    try {
      const report = await runSmokeSuite({
        suite: 'compute',
        client: w.client,
        computeCount: 1,
        imageName: image,
        flavorName: flavor.name,
        namePrefix: prefix,
      });
      const boot = report.checks.find((c) => c.name === 'compute-boot');
      t.is(boot?.outcome, 'fail');
      t.regex(
        boot!.cause!,
        /3 of 3 instances did not become ACTIVE: instance .* went to ERROR: No valid host was found/,
      );
      t.like(
        report.checks.find((c) => c.name === 'compute-results'),
        { outcome: 'skip' },
      );
      t.like(
        report.checks.find((c) => c.name === 'cleanup'),
        { outcome: 'pass' },
      );
      t.deepEqual(await w.client.listServers(`^${prefix}`), []);
    } finally {
      await w.client.deleteFlavor(flavor.id);
    }
  },
);

test.serial('an image from a URL is downloaded, checked against its checksum and uploaded', async (t) => {
  t.timeout(120_000);
  const w = await setUp();
  const bytes = await readFile(w.imagePath);
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const name = `lxdstack-url-${randomBytes(2).toString('hex')}`;
  const dir = join(w.cwd, 'url');
  try {
    const ledger = await Ledger.open(dir, 'url', 'deploy');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/root.tar.gz`;
    const report = await configureCloud(w.client, spec, {
      ledger,
      image: { url, checksum: w.checksum, name },
      sshPublicKey: publicKey,
      outDir: dir,
    });
    const item = report.items.find((i) => i.kind === 'openstack-image');
    t.like(item, { name, action: 'created' });
    t.like(await w.client.getImage(item!.id), { status: 'active', size: bytes.length });
    await t.throwsAsync(stat(join(dir, 'downloads', `${name}.img`)));
    // what else this run reused belongs to the first lab: only the image is this ledger's
    t.deepEqual(
      ledger.liveResources('openstack-image').map((r) => r.name),
      [name],
    );
    await w.client.deleteImage(item!.id);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test.serial('an interrupted suite stops waiting and still removes every instance it booted', async (t) => {
  t.timeout(300_000);
  const w = await setUp();
  const prefix = `lxdstack-int-${randomBytes(2).toString('hex')}`;
  const controller = new AbortController();
  // Interrupt right after the first instance exists (not after a fixed delay: on an idle machine an
  // instance boots within seconds, and the suite could finish before a timer fired).
  const createServer = w.client.createServer.bind(w.client);
  w.client.createServer = async (input) => {
    const server = await createServer(input);
    controller.abort();
    return server;
  };
  t.teardown(() => {
    w.client.createServer = createServer;
  });
  const report = await runSmokeSuite({
    suite: 'compute',
    client: w.client,
    computeCount: 1,
    instanceCount: 2,
    imageName: image,
    flavorName: 'm1.tiny',
    namePrefix: prefix,
    signal: controller.signal,
  });
  const boot = report.checks.find((c) => c.name === 'compute-boot');
  t.is(boot?.outcome, 'fail');
  t.regex(boot!.cause!, /Interrupted\./);
  t.like(
    report.checks.find((c) => c.name === 'cleanup'),
    { outcome: 'pass' },
  );
  t.deepEqual(await w.client.listServers(`^${prefix}`), []);
});

test.serial('removal deletes exactly what configuration recorded, and the client files', async (t) => {
  t.timeout(300_000);
  const w = await setUp();
  const ledger = await Ledger.open(w.labDirectory, spec.name, 'teardown');
  const { removed } = await removeCloudResources(w.client, ledger);
  // every resource configure recorded (w.first's items), and the two client files
  t.is(removed.length, w.first!.items.length + 2);
  t.deepEqual(await w.client.listImages({ name: image }), []);
  t.deepEqual(await w.client.listNetworks({ name: EXTERNAL_NETWORK }), []);
  t.deepEqual(await w.client.listRouters({ name: ROUTER }), []);
  t.false((await w.client.listKeypairs()).some((k) => k.name === KEYPAIR));
  t.false((await w.client.listFlavors()).some((f) => f.name.startsWith('m1.')));
  await t.throwsAsync(stat(join(w.labDirectory, 'clouds.yaml')));
  t.deepEqual(
    ledger.liveResources().filter((r) => r.kind.startsWith('openstack-') || r.kind === 'file'),
    [],
  );
});
