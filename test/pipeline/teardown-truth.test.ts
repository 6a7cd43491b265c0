import test from 'ava';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ControllerNotFoundError,
  JujuError,
  jujuErrorFor,
  ModelNotFoundError,
} from '../../src/juju/errors.js';
import type { LabPorts } from '../../src/pipeline/ports.js';
import { runStepList } from '../../src/pipeline/task-list.js';
import { teardownSteps } from '../../src/pipeline/teardown-steps.js';
import { Ledger } from '../../src/state/ledger.js';
import { ExitCode, InterruptedError, JobError } from '../../src/util/errors.js';
import { captureContext } from './context.js';
import { fakePorts, newWorld, type FakeWorld } from './fake-ports.js';

// Teardown tells the truth: a controller that is gone means its models are gone (and teardown goes on to
// LXD); a model is released only when juju no longer knows it, so a remote target whose destroys fail
// fails the step; Ctrl-C stops teardown (exit 130, resumable) and never escalates to --force.

const APPS = ['keystone', 'glance'];

/** A world as juju reports it: `juju models -c X` fails with NotFound once controller X is gone. */
function truthfulPorts(world: FakeWorld, signal?: AbortSignal): LabPorts {
  const ports = fakePorts(world, APPS, signal);
  return {
    ...ports,
    juju: {
      ...ports.juju,
      modelExists: async (controller, model) => {
        if (!world.controllers.has(controller))
          throw jujuErrorFor(
            'juju models -c lxdstack --format json',
            1,
            `controller ${controller} not found`,
          );
        return world.models.has(`${controller}:${model}`);
      },
    },
  };
}

async function deployedLab(world: FakeWorld) {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-teardown-'));
  const ledger = await Ledger.open(dir, 'openstack-lab', 'deploy');
  world.controllers.set('lxdstack', 'healthy');
  world.models.set('lxdstack:openstack', { applications: new Set(APPS), ready: true });
  world.lxdProfiles.add('juju-openstack');
  await ledger.recordResource({ kind: 'lxd-pool', name: 'lab-pool' });
  await ledger.recordResource({ kind: 'controller', name: 'lxdstack' });
  await ledger.recordResource({ kind: 'model', name: 'lxdstack:openstack' });
  return { dir, ledger };
}

async function teardown(
  world: FakeWorld,
  ledger: Ledger,
  options: { remoteTarget?: boolean; signal?: AbortSignal } = {},
) {
  const { ctx } = captureContext(ledger.path, {}, options.signal);
  let leftovers: string[] = [];
  const steps = teardownSteps({
    ledger,
    ports: truthfulPorts(world, options.signal),
    model: 'openstack',
    keepController: false,
    remoteTarget: options.remoteTarget ?? false,
    gracefulTimeoutMs: 50,
    onLeftovers: (found) => (leftovers = found),
  });
  await runStepList(steps, ledger, ctx, {
    resumeCommand: 'lxdstack teardown --yes',
    secrets: [],
    retryDelayMs: 0,
  });
  return leftovers;
}

test("juju's NotFound lines become typed errors", (t) => {
  t.true(jujuErrorFor('juju models', 1, 'controller lxdstack not found') instanceof ControllerNotFoundError);
  const model = jujuErrorFor('juju status', 1, 'model lxdstack:admin/openstack not found');
  t.true(model instanceof ModelNotFoundError);
  t.is((model as ModelNotFoundError).notFound, 'lxdstack:admin/openstack');
  t.is(
    jujuErrorFor('juju config', 1, 'application "nova" not found').constructor.name,
    'ApplicationNotFoundError',
  );
  t.is(
    jujuErrorFor('juju controllers', 1, 'No controllers registered.').constructor.name,
    'NoControllersError',
  );
  t.is(jujuErrorFor('juju deploy', 1, 'cannot deploy bundle: boom').constructor, JujuError);
});

test('with the controller gone, its models are gone too and teardown finishes with LXD', async (t) => {
  const world = newWorld();
  const { ledger } = await deployedLab(world);
  world.controllers.delete('lxdstack');
  world.models.clear();
  const leftovers = await teardown(world, ledger);
  t.deepEqual(leftovers, []);
  t.true(world.calls.includes('removeLxd'));
  t.false(world.calls.some((c) => c.startsWith('destroyModel')));
  t.deepEqual(ledger.liveResources(), []);
});

test('a remote target whose destroys both fail fails the step and keeps the model recorded', async (t) => {
  const world = newWorld();
  const { ledger } = await deployedLab(world);
  world.faults.set('destroyModel', { kind: 'always', message: 'ERROR connection is shut down' });
  world.faults.set('destroyModel --force', { kind: 'always', message: 'ERROR connection is shut down' });
  const error = await t.throwsAsync(teardown(world, ledger, { remoteTarget: true }));
  t.true(error instanceof JobError);
  t.regex(
    error!.message,
    /^Step "Destroy the model" failed: model lxdstack:openstack still exists after a forced destroy-model \(a remote target: there is no LXD-level removal to fall back on\)\.$/,
  );
  t.deepEqual(
    ledger.liveResources('model').map((r) => `${r.name}:${r.state}`),
    ['lxdstack:openstack:created'],
  );
  t.true(world.controllers.has('lxdstack'), 'the controller step did not run after the failure');
});

test('Ctrl-C during destroy-model stops teardown with exit 130 and never forces', async (t) => {
  const world = newWorld();
  const { ledger } = await deployedLab(world);
  world.faults.set('destroyModel', { kind: 'hang' });
  const controller = new AbortController();
  const stopping = teardown(world, ledger, { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  const error = await t.throwsAsync(stopping);
  t.true(error instanceof InterruptedError);
  t.is((error as InterruptedError).exitCode, ExitCode.interrupted);
  t.regex(error!.message, /^Interrupted during "Destroy the model"; run `lxdstack teardown --yes` to resume/);
  t.false(world.calls.includes('destroyModel --force'));
  t.true(world.models.has('lxdstack:openstack'));
  t.is(ledger.findResource('model', 'lxdstack:openstack')?.state, 'created');
});
