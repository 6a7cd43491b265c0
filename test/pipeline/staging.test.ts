import test from 'ava';
import { mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import { STAGING, deploySteps, type RenderedPaths } from '../../src/pipeline/deploy-steps.js';
import { stagingPort } from '../../src/pipeline/staging-port.js';
import { runStepList } from '../../src/pipeline/task-list.js';
import { teardownSteps } from '../../src/pipeline/teardown-steps.js';
import { Ledger } from '../../src/state/ledger.js';
import { captureContext } from './context.js';
import { fakePorts, newWorld } from './fake-ports.js';

// The staging folder of a strictly confined juju in the lab's lifecycle: recorded in the ledger before
// deploy stages the bundle there, removed by teardown. A classic juju stages nothing.

const APPS = ['keystone'];
const rendered: RenderedPaths = {
  bundlePath: '/lab/bundle.yaml',
  overlayPaths: [],
  profilePath: '/lab/lxd-profile.yaml',
  profileYaml: 'config: {}\n',
  spellDir: '/lab/spell',
  applications: APPS,
  unitless: [],
  units: { keystone: 1 },
};

async function lifecycle(simulatedStrict: boolean) {
  const root = await mkdtemp(join(tmpdir(), 'lxdstack-stage-'));
  const labDirectory = join(root, '.lxdstack', 'lab');
  await mkdir(labDirectory, { recursive: true });
  const spec = defaultSpec('modern');
  const world = newWorld();
  const staging = stagingPort({
    env: { HOME: join(root, 'home'), PATH: '' },
    lab: spec.name,
    labDirectory,
    simulatedStrict,
  });
  const dir = await staging.dir();
  // what juju's runner leaves in the folder as it stages the bundle
  if (dir) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'bundle.yaml'), 'applications: {}\n');
  }
  const ports = { ...fakePorts(world, APPS), staging };
  const ledger = await Ledger.open(labDirectory, spec.name, 'deploy', true);
  const { ctx } = captureContext(root);
  const options = { resumeCommand: 'lxdstack deploy', secrets: [], retryDelayMs: 0 };
  await runStepList(
    deploySteps({ spec, ledger, ports, rendered, simulated: true, waitTimeoutMs: 1000, labDirectory }).filter(
      (s) => ['controller', 'model', 'deploy'].includes(s.name),
    ),
    ledger,
    ctx,
    options,
  );
  const recorded = ledger
    .liveResources('file')
    .filter((r) => r.data?.by === STAGING)
    .map((r) => r.name);
  const down = await Ledger.open(labDirectory, spec.name, 'teardown', true);
  await runStepList(
    teardownSteps({
      ledger: down,
      ports,
      model: spec.model,
      keepController: false,
      remoteTarget: false,
      gracefulTimeoutMs: 1000,
      onLeftovers: () => {},
    }),
    down,
    ctx,
    { ...options, resumeCommand: 'lxdstack teardown' },
  );
  return { dir, recorded, after: down.liveResources('file') };
}

test('a strict juju: the staging folder under home is recorded before deploy and removed by teardown', async (t) => {
  const { dir, recorded, after } = await lifecycle(true);
  t.truthy(dir);
  t.regex(dir!, /\/home\/lxdstack-staging\/openstack-lab-[0-9a-f]{8}$/);
  t.deepEqual(recorded, [dir]);
  await t.throwsAsync(stat(dir!), { code: 'ENOENT' });
  t.deepEqual(after, []);
});

test('a classic juju (2.9, or not a snap) stages nothing and records nothing', async (t) => {
  const { dir, recorded } = await lifecycle(false);
  t.is(dir, undefined);
  t.deepEqual(recorded, []);
});
