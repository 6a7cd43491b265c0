import type { LabPorts, SmokeOutcome } from '../../src/pipeline/ports.js';
import type { Ledger } from '../../src/state/ledger.js';

// A recorded world for the lifecycle's unit tests: controllers, models and applications as plain data,
// and a fault table keyed by operation, so every failure path of the steps can be driven in-process.

export type Fault = { kind: 'once' | 'always'; message: string } | { kind: 'hang' };

export interface FakeWorld {
  controllers: Map<string, 'healthy' | 'unreachable'>;
  models: Map<string, { applications: Set<string>; profile?: string; ready: boolean }>;
  lxdProfiles: Set<string>;
  /** What prepare made on LXD and configure made in the cloud, as they name it; tests delete from them. */
  lxdPrepared: Set<string>;
  cloudConfigured: Set<string>;
  calls: string[];
  faults: Map<string, Fault>;
  configureUnavailable?: string;
  smokeFailures: string[];
}

export function newWorld(): FakeWorld {
  return {
    controllers: new Map(),
    models: new Map(),
    lxdProfiles: new Set(),
    lxdPrepared: new Set(),
    cloudConfigured: new Set(),
    calls: [],
    faults: new Map(),
    smokeFailures: [],
  };
}

export function fakePorts(world: FakeWorld, applications: readonly string[], signal?: AbortSignal): LabPorts {
  const act = async (op: string) => {
    world.calls.push(op);
    const fault = world.faults.get(op);
    if (!fault) return;
    if (fault.kind === 'hang') {
      await new Promise<void>((_, reject) => {
        if (signal?.aborted) reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        signal?.addEventListener(
          'abort',
          () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          { once: true },
        );
      });
    }
    if (fault.kind === 'once') world.faults.delete(op);
    if (fault.kind !== 'hang') throw new Error(fault.message);
  };
  const key = (c: string, m: string) => `${c}:${m}`;
  return {
    juju: {
      controllerHealth: async (c) => world.controllers.get(c) ?? 'absent',
      bootstrap: async ({ controller }) => {
        await act('bootstrap');
        world.controllers.set(controller, 'healthy');
      },
      modelExists: async (c, m) => world.models.has(key(c, m)),
      addModel: async ({ controller, model }) => {
        await act('addModel');
        world.models.set(key(controller, model), { applications: new Set(), ready: false });
        world.lxdProfiles.add(`juju-${model}`);
      },
      deployBundle: async ({ controller, model }) => {
        await act('deploy');
        const entry = world.models.get(key(controller, model))!;
        for (const app of applications) entry.applications.add(app);
      },
      applications: async (c, m) => [...(world.models.get(key(c, m))?.applications ?? [])],
      bundlePending: async ({ controller, model }) => {
        const entry = world.models.get(key(controller, model));
        if (!entry) return ['the model does not exist'];
        return applications
          .filter((a) => !entry.applications.has(a))
          .map((a) => `application ${a} is not in the model`);
      },
      isReady: async (c, m) => world.models.get(key(c, m))?.ready ?? false,
      waitForReady: async ({ controller, model, onProgress }) => {
        await act('wait');
        onProgress({
          elapsedMs: 1000,
          applications: applications.map((a) => ({
            application: a,
            ready: 0,
            wanted: 1,
            message: 'installing',
          })),
        });
        world.models.get(key(controller, model))!.ready = true;
      },
      jujuChecks: async () => [{ name: 'every application active', ok: true, detail: '' }],
      unitAddress: async () => '10.0.0.9',
      publishedData: async () => undefined,
      statusJson: async () => '{}',
      debugLog: async () => '',
      unitCount: async () => [],
      addUnits: async () => {},
      removeUnits: async () => {},
      destroyModel: async ({ controller, model, force }) => {
        await act(force ? 'destroyModel --force' : 'destroyModel');
        world.models.delete(key(controller, model));
        world.lxdProfiles.delete(`juju-${model}`);
      },
      destroyController: async ({ controller }) => {
        await act('destroyController');
        world.controllers.delete(controller);
      },
      describe: {
        bootstrap: ({ cloud, controller }) => `juju bootstrap ${cloud} ${controller}`,
        addModel: ({ controller, model }) => `juju add-model -c ${controller} ${model}`,
        deployBundle: ({ model, bundlePath }) => `juju deploy -m ${model} ${bundlePath}`,
        status: (c, m) => `juju status -m ${c}:${m} --format=json`,
        destroyModel: ({ model, force }) =>
          `juju destroy-model ${model} -y${force ? ' --force --no-wait' : ''}`,
        destroyController: ({ controller }) => `juju destroy-controller ${controller} -y`,
      },
    },
    conjure: {
      deploySpell: async () => {
        await act('conjure');
      },
      describe: ({ spellDir }) => `conjure-up ${spellDir}`,
    },
    lxd: {
      preflight: async () => [
        { id: 'kvm', title: 'KVM', status: 'fail', measured: 'no /dev/kvm', fix: 'enable virtualisation' },
      ],
      prepare: async (ledger: Ledger) => {
        await act('prepare');
        await ledger.recordResource({ kind: 'lxd-pool', name: 'lab-pool' });
        world.lxdPrepared.add('storage pool lab-pool');
        return ['pool lab-pool created'];
      },
      preparationMissing: async () =>
        ['storage pool lab-pool'].filter((made) => !world.lxdPrepared.has(made)),
      applyModelProfile: async () => {
        await act('applyModelProfile');
        return ['profile juju-openstack applied'];
      },
      removeLabResources: async (ledger: Ledger) => {
        await act('removeLxd');
        for (const r of ledger.liveResources())
          if (r.kind.startsWith('lxd-')) await ledger.releaseResource(r.id);
        return ['pool lab-pool removed'];
      },
      removeModelLeftovers: async (model) => {
        world.lxdProfiles.delete(`juju-${model}`);
        return [`profile juju-${model} removed`];
      },
      leftovers: async (_ledger, model) =>
        world.lxdProfiles.has(`juju-${model}`) ? [`LXD profile juju-${model}`] : [],
      inventory: async () => [...world.lxdProfiles].join('\n'),
      describe: {
        prepare: () => ['lxc storage create lab-pool dir'],
        profile: () => 'lxc profile edit juju-openstack < juju-openstack.yaml',
      },
    },
    cloud: {
      configureUnavailable: () => world.configureUnavailable,
      configure: async () => {
        await act('configure');
        world.cloudConfigured.add('image cirros');
        return ['image cirros'];
      },
      configuredMissing: async () => ['image cirros'].filter((made) => !world.cloudConfigured.has(made)),
      removeResources: async () => [],
      verify: async (): Promise<SmokeOutcome> => ({
        passed: 3,
        failed: world.smokeFailures.length,
        skipped: 2,
        reports: [],
        failures: world.smokeFailures,
        text: '',
      }),
    },
  };
}
