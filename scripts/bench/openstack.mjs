// OpenStack figures (issue 6): `lxdstack verify --suite quick` as a whole process against the loopback
// cloud of scripts/openstack-up.sh, against the same checks done the way the guides do them, one
// `openstack` CLI command per check (python3-openstackclient from Debian). Medians of several runs,
// alternating the two so load on the machine hits both alike. Needs the services up; fails if they are not.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpenStackClient } from '../../dist/src/openstack/client.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = 3;

const cloudEnv = {
  OS_AUTH_URL: 'http://127.0.0.1:5000/v3',
  OS_USERNAME: 'admin',
  OS_PASSWORD: process.env.OS_SMOKE_PASSWORD ?? 'smoke-secret',
  OS_PROJECT_NAME: 'admin',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
  OS_REGION_NAME: 'RegionOne',
  OS_IDENTITY_API_VERSION: '3',
};

// the quick suite's checks, one CLI command each (auth and catalog take two)
const CLI_CHECKS = [
  ['token', 'issue'],
  ['catalog', 'list'],
  ['compute', 'service', 'list'],
  ['network', 'agent', 'list'],
  ['hypervisor', 'list', '--long'],
  ['image', 'list', '--status', 'active'],
  ['flavor', 'list', '--all'],
  ['keypair', 'list'],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timed(file, args, env, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(file, args, { env, cwd, encoding: 'utf8', timeout: 120_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(
      `${file} ${args.join(' ')} exited ${result.status}: ${(result.stderr || result.stdout).slice(0, 300)}`,
    );
  return ms;
}

export async function bench() {
  const client = await createOpenStackClient({
    authUrl: cloudEnv.OS_AUTH_URL,
    username: 'admin',
    password: cloudEnv.OS_PASSWORD,
    projectName: 'admin',
    userDomainName: 'Default',
    projectDomainName: 'Default',
  });
  try {
    await client.authenticate();
  } catch (error) {
    throw new Error(
      `the OpenStack test services are not up (${error.message}); run \`bash scripts/openstack-up.sh\` first.`,
      { cause: error },
    );
  }
  // an active image and a flavor, so the image and flavor checks have something to find
  const data = randomBytes(4096);
  const tag = `lxdstack-bench-${createHash('sha1').update(data).digest('hex').slice(0, 6)}`;
  const image = await client.createImage({ name: tag, diskFormat: 'raw', containerFormat: 'bare' });
  await client.uploadImageData(image.id, data);
  const flavor = await client.createFlavor({ name: tag, ram: 64, vcpus: 1, disk: 1 });
  const env = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    NO_COLOR: '1',
    ...cloudEnv,
  };
  const cwd = mkdtempSync(join(tmpdir(), 'lxdstack-bench-os-'));
  try {
    const ours = [];
    const theirs = [];
    timed(process.execPath, [join(root, 'dist/bin/cli.js'), 'verify', '--suite', 'quick'], env, cwd); // warm-up
    for (let run = 0; run < RUNS; run++) {
      ours.push(
        timed(process.execPath, [join(root, 'dist/bin/cli.js'), 'verify', '--suite', 'quick'], env, cwd),
      );
      theirs.push(CLI_CHECKS.reduce((sum, args) => sum + timed('/usr/bin/openstack', args, env, cwd), 0));
    }
    const lxdstackMs = median(ours);
    const cliMs = median(theirs);
    const ratio = cliMs / lxdstackMs;
    return [
      {
        name: 'openstack: lxdstack verify --suite quick (whole process)',
        target: 'as fast as possible',
        value: Math.round(lxdstackMs),
        unit: 'ms',
        ok: true,
      },
      {
        name: `openstack: the same checks, ${CLI_CHECKS.length} openstack CLI commands`,
        target: 'reference',
        value: Math.round(cliMs),
        unit: 'ms',
        ok: true,
      },
      {
        name: 'openstack: quick suite speed-up over the openstack CLI',
        target: '>= 5x',
        value: Math.round(ratio * 10) / 10,
        unit: 'x',
        ok: ratio >= 5,
      },
    ];
  } finally {
    await client.deleteImage(image.id);
    await client.deleteFlavor(flavor.id);
  }
}
