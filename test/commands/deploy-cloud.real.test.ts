import test from 'ava';
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labStateDir } from '../../src/util/paths.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import {
  resetLabResources,
  TEST_CLOUD_ENV,
  testCloudClient,
  testImageFile,
} from '../openstack/real-cloud.js';
import { ADMIN_PASSWORD, cli, ledger, newSimLab } from '../pipeline/sim-lab.js';

// A simulated lab whose configure and verify steps run against the real OpenStack of
// scripts/test-services.sh (OS_* set): configuration uploads the image the lab's answers name
// (compute.image: the real compute's root file system) and creates and records the resources, the smoke
// suite boots instances that compute, and teardown removes exactly those resources again.

test('deploy --simulate with OS_* configures the real cloud, verifies it, and teardown removes what it created', async (t) => {
  const client = await testCloudClient();
  await resetLabResources(client, 'xenial-lxd');
  const lab = await newSimLab();
  const image = await testImageFile();
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(lab.cwd, 'key')]);
  await writeLabYaml(join(lab.cwd, 'lab.yaml'), {
    ...defaultSpec('tutorial-2016'),
    adminPassword: ADMIN_PASSWORD,
    sshPublicKey: join(lab.cwd, 'key.pub'),
    compute: { image: { source: image.path, checksum: image.checksum } },
  });
  const env = { ...TEST_CLOUD_ENV };

  const deployed = await cli(lab, ['deploy', '--simulate'], env);
  t.is(deployed.exitCode, 0, deployed.stderr);
  t.regex(deployed.stdout, /Configure the cloud \(images, flavors, networks\): \d+ resources ready/);
  t.regex(deployed.stdout, /openstack-network ext-net created/);
  t.regex(deployed.stdout, /openstack-image xenial-lxd created/);
  const smoke = /Smoke tests: +(\d+) passed, 0 failed, (\d+) skipped/.exec(deployed.stdout);
  t.truthy(smoke, deployed.stdout);
  t.true(Number(smoke?.[1]) > 4, 'API checks ran against the real cloud');
  const report = JSON.parse(
    await readFile(
      join(labStateDir(join(lab.cwd, 'lab.yaml'), 'openstack-lab'), 'reports', 'latest', 'smoke-report.json'),
      'utf8',
    ),
  ) as { checks: { name: string; outcome: string; detail?: string }[] };
  t.like(
    report.checks.find((c) => c.name === 'compute-results'),
    { outcome: 'pass' },
  );
  const created = (await ledger(lab)).resources.filter((r) => r.kind.startsWith('openstack-'));
  t.true(created.length >= 10);
  t.true((await client.listNetworks({ name: 'ext-net' })).length === 1);
  t.false(`${deployed.stdout}${deployed.stderr}`.includes(TEST_CLOUD_ENV.OS_PASSWORD));

  const down = await cli(lab, ['teardown', '--yes'], env);
  t.is(down.exitCode, 0, down.stderr);
  t.regex(down.stdout, /Remove OpenStack resources: \d+ removed/);
  t.regex(down.stdout, /Teardown complete: nothing this lab created remains\./);
  t.true((await ledger(lab)).resources.every((r) => r.state === 'removed'));
  t.deepEqual(await client.listNetworks({ name: 'ext-net' }), []);
});
