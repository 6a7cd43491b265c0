import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import type { LabSpec } from '../../src/lab/schema.js';
import type { CommandRunner } from '../../src/util/runner.js';
import { simulatorRunner } from '../helpers/sim-runner.js';
import { ADMIN_PASSWORD, cliInProcess, newSimLab } from '../pipeline/sim-lab.js';

// Issue 13's "Done when", the other half: a modern bundle missing what the charms need makes the
// simulated deploy stall, and the failure names the blocked unit with the charm's own message. The lab's
// schema refuses such labs, so the bundle is changed on its way to `juju deploy` (as a hand-edited
// bundle would be). A short readiness bound (LXDSTACK_SIM_WAIT_TIMEOUT) keeps each run to seconds.

type Bundle = {
  applications: Record<string, { options?: Record<string, unknown> }>;
  relations: string[][];
};

/** The simulator, with the bundle `juju deploy` is handed changed by `edit` first. */
function editingBundle(edit: (bundle: Bundle) => void): CommandRunner {
  return {
    ...simulatorRunner,
    async run(file, args, options) {
      // juju deploy -m <model> <bundle> [--overlay ...]
      const bundlePath = args[0] === 'deploy' ? args[3] : undefined;
      if (bundlePath?.endsWith('.yaml')) {
        const bundle = parse(await readFile(bundlePath, 'utf8')) as Bundle;
        edit(bundle);
        await writeFile(bundlePath, stringify(bundle));
      }
      return simulatorRunner.run(file, args, options);
    },
  };
}

async function stalledDeploy(
  t: import('ava').ExecutionContext,
  edit: (bundle: Bundle) => void,
  labSpec: (spec: LabSpec) => LabSpec = (spec) => spec,
) {
  const lab = await newSimLab();
  await writeLabYaml(join(lab.cwd, 'lab.yaml'), {
    ...labSpec(defaultSpec('modern')),
    adminPassword: ADMIN_PASSWORD,
  });
  const started = Date.now();
  const deploy = await cliInProcess(
    lab,
    ['deploy', '--simulate'],
    { LXDSTACK_SIM_WAIT_TIMEOUT: '6' },
    editingBundle(edit),
  );
  t.is(deploy.exitCode, 1, deploy.stdout + deploy.stderr);
  t.true(Date.now() - started < 30_000);
  return deploy.stdout + deploy.stderr;
}

test('a modern bundle without the keystone-mysql relation stalls, naming keystone/0 blocked and why', async (t) => {
  const output = await stalledDeploy(t, (bundle) => {
    bundle.relations = bundle.relations.filter(
      (pair) =>
        !(pair.some((end) => end.startsWith('keystone')) && pair.some((end) => end.includes('mysql'))),
    );
  });
  t.regex(
    output,
    /^error: Step "Wait for readiness" failed: readiness stalled: .*keystone\/0: Missing relations: database/m,
  );
  t.regex(output, /^\s+- keystone\/0: blocked "Missing relations: database"$/m);
});

test('a modern bundle whose vault does not unlock itself (and no unseal step) stalls, naming vault/0 blocked', async (t) => {
  const output = await stalledDeploy(t, (bundle) => {
    delete bundle.applications.vault!.options?.['totally-unsecure-auto-unlock'];
  });
  t.regex(
    output,
    /^error: Step "Wait for readiness" failed: readiness stalled: .*vault\/0: Vault needs to be initialized/m,
  );
  t.regex(output, /^\s+- vault\/0: blocked "Vault needs to be initialized"$/m);
});

test('a modern bundle with ceph-osd on a directory stalls, naming the ceph-osd unit blocked', async (t) => {
  const output = await stalledDeploy(
    t,
    (bundle) => {
      bundle.applications['ceph-osd']!.options = {
        ...bundle.applications['ceph-osd']!.options,
        'osd-devices': '/srv/ceph-osd',
      };
    },
    (spec) => ({
      ...spec,
      // a lab the schema accepts (one OSD unit on a block device); the bundle then names a directory
      components: { ...spec.components, ceph: true },
      storage: { ...spec.storage, osdDevices: ['/dev/sdb'] },
      sizing: { ...spec.sizing, osdCount: 1 },
    }),
  );
  t.regex(
    output,
    /^error: Step "Wait for readiness" failed: readiness stalled: .*ceph-osd\/0: No block devices detected using current configuration/m,
  );
  t.regex(output, /^\s+- ceph-osd\/0: blocked "No block devices detected using current configuration"$/m);
});
