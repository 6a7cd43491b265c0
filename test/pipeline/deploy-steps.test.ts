import test from 'ava';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import { Ledger } from '../../src/state/ledger.js';
import { deploySteps, formatProgress, type RenderedPaths } from '../../src/pipeline/deploy-steps.js';
import { teardownSteps } from '../../src/pipeline/teardown-steps.js';
import { runStepList } from '../../src/pipeline/task-list.js';
import { InputError, InterruptedError, JobError } from '../../src/util/errors.js';
import { captureContext } from './context.js';
import { fakePorts, newWorld, type FakeWorld } from './fake-ports.js';

const APPS = ['keystone', 'glance', 'nova-compute'];
const SECRET = 'S3cret-admin-pw';

const rendered: RenderedPaths = {
  bundlePath: '/lab/bundle.yaml',
  overlayPaths: [],
  profilePath: '/lab/lxd-profile.yaml',
  profileYaml: 'config: {}\n',
  spellDir: '/lab/spell',
  applications: APPS,
  unitless: [],
  units: Object.fromEntries(APPS.map((app) => [app, 1])),
};

async function setup(options: { simulated?: boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-steps-'));
  const world = newWorld();
  return { dir, world, spec: defaultSpec('tutorial-2016'), simulated: options.simulated ?? true };
}

async function deploy(
  s: { dir: string; world: FakeWorld; spec: ReturnType<typeof defaultSpec>; simulated: boolean },
  signal?: AbortSignal,
) {
  const ledger = await Ledger.open(s.dir, s.spec.name, 'deploy', s.simulated);
  const { ctx, stdout } = captureContext(s.dir, {}, signal);
  const steps = deploySteps({
    spec: s.spec,
    ledger,
    ports: fakePorts(s.world, APPS, signal),
    rendered,
    simulated: s.simulated,
    waitTimeoutMs: 1000,
    labDirectory: s.dir,
  });
  const results = await runStepList(steps, ledger, ctx, {
    resumeCommand: 'lxdstack deploy',
    secrets: [SECRET],
    retryDelayMs: 0,
  });
  return { ledger, results, stdout };
}

async function teardown(
  s: { dir: string; world: FakeWorld; spec: ReturnType<typeof defaultSpec> },
  keepController = false,
) {
  const ledger = await Ledger.open(s.dir, s.spec.name, 'teardown');
  const { ctx } = captureContext(s.dir);
  let leftovers: string[] = [];
  const steps = teardownSteps({
    ledger,
    ports: fakePorts(s.world, APPS),
    model: s.spec.model,
    keepController,
    remoteTarget: false,
    gracefulTimeoutMs: 1000,
    onLeftovers: (l) => (leftovers = l),
  });
  await runStepList(steps, ledger, ctx, {
    resumeCommand: 'lxdstack teardown',
    secrets: [SECRET],
    retryDelayMs: 0,
  });
  return { ledger, leftovers };
}

test('a full run acts in order, records controller and model, and a second run only verifies', async (t) => {
  const s = await setup();
  const first = await deploy(s);
  t.deepEqual(s.world.calls, [
    'prepare',
    'bootstrap',
    'addModel',
    'applyModelProfile',
    'deploy',
    'wait',
    'configure',
  ]);
  t.deepEqual(
    first.results.map((r) => r.outcome.state),
    ['done', 'done', 'done', 'done', 'done', 'done', 'skipped', 'done', 'done'],
  );
  t.deepEqual(
    first.ledger.liveResources().map((r) => `${r.kind}:${r.name}:${r.state}`),
    ['lxd-pool:lab-pool:created', 'controller:lxdstack:created', 'model:lxdstack:openstack:created'],
  );
  t.regex(first.stdout(), /SIMULATION: 1 host checks reported as information \(1 would fail on this host\)/);

  s.world.calls.length = 0;
  const second = await deploy(s);
  t.deepEqual(s.world.calls, []);
  t.deepEqual(
    second.results.map((r) => `${r.step.name}:${r.outcome.state}`),
    [
      'preflight:skipped',
      'prepare-lxd:skipped',
      'controller:skipped',
      'model:skipped',
      'deploy:skipped',
      'wait:skipped',
      'expose:skipped',
      'configure:skipped',
      'verify:done',
    ],
  );
});

test('a resumed deploy checks the world: LXD preparation or cloud configuration undone since runs again, saying what was gone', async (t) => {
  const s = await setup();
  await deploy(s);
  // Behind lxdstack's back: the lab's pool is deleted from LXD, its image from the cloud.
  s.world.lxdPrepared.delete('storage pool lab-pool');
  s.world.cloudConfigured.delete('image cirros');
  s.world.calls.length = 0;

  const again = await deploy(s);
  t.deepEqual(s.world.calls, ['prepare', 'configure']);
  t.deepEqual(
    again.results.filter((r) => r.outcome.state === 'done').map((r) => r.step.name),
    ['prepare-lxd', 'configure', 'verify'],
  );
  t.regex(again.stdout(), /gone since it was done: storage pool lab-pool; doing it again/);
  t.regex(again.stdout(), /gone since it was done: image cirros; doing it again/);

  // Put back, the world matches the ledger again: nothing runs.
  s.world.calls.length = 0;
  await deploy(s);
  t.deepEqual(s.world.calls, []);
});
test('outside simulation a failing host check refuses with exit 3 and the fix', async (t) => {
  const s = await setup({ simulated: false });
  const error = await t.throwsAsync(deploy(s));
  t.is((error as JobError).exitCode, 3);
  t.deepEqual((error as JobError).details, ['KVM: no /dev/kvm; fix: enable virtualisation']);
  t.deepEqual(s.world.calls, []);
});

for (const op of ['prepare', 'addModel', 'applyModelProfile', 'deploy', 'configure']) {
  test(`a transient failure of ${op} is retried within the step and reaches the same end state`, async (t) => {
    const s = await setup();
    s.world.faults.set(op, { kind: 'once', message: `ERROR ${op} hiccup` });
    const run = await deploy(s);
    t.is(s.world.calls.filter((c) => c === op).length, 2);
    t.true(
      run.results.every(
        (r) => r.outcome.state !== 'skipped' || ['expose', 'configure'].includes(r.step.name),
      ),
    );
    t.true(s.world.models.get('lxdstack:openstack')?.ready);
  });
}

for (const op of ['bootstrap', 'addModel', 'deploy', 'wait']) {
  test(`a permanent failure of ${op} exits 1 naming the step, cause and next command; a re-run resumes`, async (t) => {
    const s = await setup();
    s.world.faults.set(op, { kind: 'always', message: `ERROR ${op} broke with ${SECRET} in it` });
    const error = await t.throwsAsync(deploy(s));
    t.true(error instanceof JobError);
    t.is((error as JobError).exitCode, 1);
    t.regex(error!.message, /^Step ".+" failed: ERROR .* broke with \*\*\* in it\.$/);
    t.false(error!.message.includes(SECRET));
    t.true((error as JobError).details.includes('Then run `lxdstack deploy` to resume from this step.'));
    const state = JSON.parse(await readFile(join(s.dir, 'state.json'), 'utf8')) as {
      steps: Record<string, { state: string; error?: string }>;
    };
    const failed = Object.entries(state.steps).filter(([, v]) => v.state === 'failed');
    t.is(failed.length, 1);
    t.false(JSON.stringify(state).includes(SECRET));

    s.world.faults.clear();
    s.world.calls.length = 0;
    const again = await deploy(s);
    t.true(again.results.every((r) => r.outcome.state === 'done' || r.outcome.state === 'skipped'));
    t.is(s.world.calls.filter((c) => c === 'bootstrap').length, op === 'bootstrap' ? 1 : 0);
    t.true(s.world.models.get('lxdstack:openstack')?.ready);
  });
}

test('an interruption mid-step exits 130 and a re-run completes from that step', async (t) => {
  const s = await setup();
  s.world.faults.set('deploy', { kind: 'hang' });
  const controller = new AbortController();
  const running = deploy(s, controller.signal);
  while (!s.world.calls.includes('deploy')) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort();
  const error = await t.throwsAsync(running);
  t.true(error instanceof InterruptedError);
  t.is((error as InterruptedError).exitCode, 130);
  t.regex(error!.message, /Interrupted during "Deploy the bundle"; run `lxdstack deploy` to resume/);
  s.world.faults.clear();
  s.world.calls.length = 0;
  await deploy(s);
  t.deepEqual(s.world.calls, ['deploy', 'wait', 'configure']);
});

test('a model that exists but was not created by the lab is refused, never adopted', async (t) => {
  const s = await setup();
  s.world.controllers.set('lxdstack', 'healthy');
  s.world.models.set('lxdstack:openstack', { applications: new Set(), ready: false });
  const error = await t.throwsAsync(deploy(s));
  t.true(error instanceof InputError);
  t.regex(error!.message, /already exists and this lab did not create it/);
});

test('teardown removes exactly what deploy created, newest first, and never a reused controller', async (t) => {
  const s = await setup();
  s.world.controllers.set('lxdstack', 'healthy');
  await deploy(s);
  s.world.calls.length = 0;
  const { ledger, leftovers } = await teardown(s);
  t.deepEqual(s.world.calls, ['destroyModel', 'removeLxd']);
  t.true(s.world.controllers.has('lxdstack'));
  t.deepEqual(leftovers, []);
  t.deepEqual(ledger.liveResources(), []);
});

test('teardown escalates: a failing destroy-model is forced, then LXD leftovers are removed', async (t) => {
  const s = await setup();
  await deploy(s);
  s.world.faults.set('destroyModel', { kind: 'always', message: 'ERROR timed out' });
  s.world.calls.length = 0;
  const { leftovers } = await teardown(s);
  t.deepEqual(s.world.calls, ['destroyModel', 'destroyModel --force', 'destroyController', 'removeLxd']);
  t.deepEqual(leftovers, []);
  t.is(s.world.controllers.size, 0);
  t.is(s.world.lxdProfiles.size, 0);
});

test('progress names the applications still waiting, with units and message', (t) => {
  t.is(
    formatProgress({
      elapsedMs: 12_400,
      applications: [
        { application: 'keystone', ready: 1, wanted: 1, message: 'Unit is ready' },
        { application: 'glance', ready: 0, wanted: 1, message: 'installing charm software' },
      ],
    }),
    '1/2 applications ready after 12s; waiting: glance 0/1 (installing charm software)',
  );
});

test('an existing-controller target is reused, never bootstrapped, and refused when juju does not know it', async (t) => {
  const s = await setup();
  s.spec = { ...s.spec, target: { ...s.spec.target, kind: 'existing-controller' } };
  const missing = await t.throwsAsync(deploy(s));
  t.true(missing instanceof InputError);
  t.regex(missing!.message, /juju knows no controller "lxdstack"/);
  s.world.controllers.set('lxdstack', 'healthy');
  s.world.calls.length = 0;
  const run = await deploy(s);
  t.false(s.world.calls.includes('bootstrap'));
  const controller = run.results.find((r) => r.step.name === 'controller')!;
  t.deepEqual(controller.outcome, {
    state: 'skipped',
    reason: 'reusing the existing healthy controller lxdstack',
  });
  await teardown(s);
  t.true(s.world.controllers.has('lxdstack'));
});

test('a MAAS target is deployed through juju alone: host LXD checks do not refuse, LXD is not prepared', async (t) => {
  const s = await setup({ simulated: false });
  s.spec = { ...s.spec, target: { ...s.spec.target, kind: 'maas', cloud: 'maas-lab' } };
  const run = await deploy(s);
  t.false(s.world.calls.includes('prepare'));
  t.false(s.world.calls.includes('applyModelProfile'));
  t.true(s.world.calls.includes('bootstrap'));
  const prepare = run.results.find((r) => r.step.name === 'prepare-lxd')!;
  t.deepEqual(prepare.outcome, {
    state: 'skipped',
    reason: "the target is maas (cloud maas-lab): this host's LXD is not used",
  });
});
