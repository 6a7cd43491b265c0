import pMemoize from 'p-memoize';
import {
  DESCRIBED_CONFIG_FILE,
  configInFile,
  jujuArgv,
  type JujuFlavour,
  type JujuOp,
  type JujuOps,
} from '../juju/argv.js';
import type { JujuClient, JujuClientOptions } from '../juju/client.js';
import { pendingBundleChanges } from '../juju/bundle-diff.js';
import { publishedRelationData } from '../juju/show-unit.js';
import { ControllerNotFoundError, ModelNotFoundError } from '../juju/errors.js';
import { assessReadiness, waitForReady } from '../juju/readiness.js';
import { compareUnitNames, digestStatus } from '../juju/status.js';
import { jujuChecksOf, progressOf, throwUnlessReady } from '../juju/verdicts.js';
import { InterruptedError } from '../util/errors.js';
import { describeCommand } from '../util/run.js';
import type { CommandRunner } from '../util/runner.js';
import type { ControllerHealth, JujuPort } from './ports.js';

// The Juju port over src/juju's client: one juju command per method, the 2.9/3.x argv differences left to
// the client; the readiness wait and its verdicts are src/juju's. Status reads are counted, for the
// polling-policy bench.

export interface JujuPortOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The flavour the lab's profile is written for: describes commands without running juju. */
  flavour: JujuFlavour;
  /** How often readiness must see the same ready state before it counts (ms of settling). */
  settleMs: number;
  /** The least time without any change that counts as a stall (a third of the wait, at least this; 60 s). */
  stallFloorMs?: number;
  /** Counts every `juju status` call made through this port. */
  onStatusCall?: () => void;
  /** Where juju runs when not on this host (the nested layout's outer container). */
  runner?: () => Promise<CommandRunner>;
  /** What described commands start with when juju runs elsewhere (`lxc exec openstack --`). */
  commandPrefix?: string;
}

const qualified = (controller: string, model: string) => `${controller}:${model}`;

export function jujuPort(options: JujuPortOptions): JujuPort {
  const clientOptions: JujuClientOptions = {
    env: options.env,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // The client module (and execa with it) loads on the first juju call, not for describing commands.
  const newClient = async (extra: Partial<JujuClientOptions> = {}) =>
    (await import('../juju/client.js')).createJujuClient({
      ...clientOptions,
      ...(options.runner ? { runner: await options.runner() } : {}),
      ...extra,
    });
  const client = pMemoize(() => newClient());
  const status = async (controller: string, model: string) => {
    options.onStatusCall?.();
    return (await client()).status(qualified(controller, model));
  };
  const describe = <Op extends JujuOp>(op: Op, params: JujuOps[Op]) =>
    `${options.commandPrefix ? `${options.commandPrefix} ` : ''}${describeCommand('juju', jujuArgv(options.flavour, op, params))}`;

  return {
    controllerHealth: async (controller) => {
      const juju = await client();
      const { controllers } = await juju.controllers();
      if (!controllers.some((c) => c.name === controller)) return 'absent';
      try {
        await juju.models(controller);
        return 'healthy';
      } catch {
        return 'unreachable';
      }
    },
    bootstrap: async ({ cloud, controller, config }) =>
      (await client()).bootstrap({ cloud, controller, config }),
    modelExists: async (controller, model) => {
      try {
        return (await (await client()).models(controller)).models.some((m) => m.shortName === model);
      } catch (error) {
        // A controller that is gone took its models with it.
        if (error instanceof ControllerNotFoundError) return false;
        throw error;
      }
    },
    addModel: async ({ controller, model, cloud, config }) =>
      (await client()).addModel({ controller, model, config, ...(cloud ? { cloud } : {}) }),
    deployBundle: async ({ controller, model, bundlePath, overlays }) => {
      await (await client()).deploy({ model: qualified(controller, model), bundlePath, overlays });
    },
    applications: async (controller, model) => {
      try {
        return Object.keys((await status(controller, model)).applications);
      } catch (error) {
        // No model yet means no applications yet (one juju call instead of two).
        if (error instanceof ModelNotFoundError || error instanceof ControllerNotFoundError) return [];
        throw error;
      }
    },
    bundlePending: async ({ controller, model, bundlePath, overlays }) => {
      try {
        const diff = await (
          await client()
        ).diffBundle({ model: qualified(controller, model), bundlePath, overlays });
        return pendingBundleChanges(diff);
      } catch (error) {
        if (error instanceof ModelNotFoundError || error instanceof ControllerNotFoundError)
          return ['the model does not exist'];
        throw error;
      }
    },
    isReady: async (controller, model, expectedUnits) => {
      const rules = { settleMs: 0, stallMs: Number.POSITIVE_INFINITY, expectedUnits };
      return (
        assessReadiness(await status(controller, model), undefined, Date.now(), rules).verdict.kind ===
        'ready'
      );
    },
    waitForReady: async ({ controller, model, timeoutMs, expectedUnits, onProgress }) => {
      const juju = await client();
      const counting: JujuClient = {
        ...juju,
        status: async (name: string) => {
          options.onStatusCall?.();
          return juju.status(name);
        },
      };
      const result = await waitForReady(counting, qualified(controller, model), {
        timeoutMs,
        settleMs: options.settleMs,
        stallMs: Math.max(timeoutMs / 3, options.stallFloorMs ?? 60_000),
        expectedUnits,
        onProgress: (digest, elapsedMs) => onProgress(progressOf(digest, elapsedMs)),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (options.signal?.aborted) throw new InterruptedError();
      throwUnlessReady(result);
    },
    jujuChecks: async (controller, model, unitless) =>
      jujuChecksOf(digestStatus(await status(controller, model)), unitless),
    unitAddress: async (controller, model, application) => {
      const current = await status(controller, model);
      const units = (current.applications[application]?.units ?? []).slice().sort(compareUnitNames);
      return units.map((name) => current.units[name]?.publicAddress).find((address) => address !== undefined);
    },
    publishedData: async (controller, model, application, endpoint) => {
      const current = await status(controller, model);
      const unit = (current.applications[application]?.units ?? []).slice().sort(compareUnitNames)[0];
      if (!unit) return undefined;
      const doc = await (await client()).showUnit(qualified(controller, model), unit);
      return publishedRelationData(doc, unit, endpoint);
    },
    statusJson: async (controller, model) => `${JSON.stringify(await status(controller, model), null, 2)}\n`,
    debugLog: async (controller, model, lines) =>
      `${(await (await client()).debugLog({ model: qualified(controller, model), lines })).join('\n')}\n`,
    unitCount: async (controller, model, application) => {
      const current = await status(controller, model);
      return (current.applications[application]?.units ?? [])
        .filter((u) => current.units[u]?.principal === undefined)
        .sort(compareUnitNames);
    },
    addUnits: async ({ controller, model, application, count }) =>
      (await client()).addUnit({ model: qualified(controller, model), application, count }),
    removeUnits: async ({ controller, model, units }) =>
      (await client()).removeUnit({ model: qualified(controller, model), units }),
    destroyModel: async ({ controller, model, force, timeoutMs }) => {
      const bounded = await newClient({ timeouts: { destroy: timeoutMs } });
      await bounded.destroyModel({
        model: qualified(controller, model),
        ...(force ? { force: true, noWait: true } : {}),
      });
    },
    destroyController: async ({ controller, force, timeoutMs }) => {
      const bounded = await newClient({ timeouts: { destroy: timeoutMs } });
      if (force) await bounded.killController({ controller });
      else await bounded.destroyController({ controller, destroyAllModels: true });
    },
    describe: {
      // what really runs: the config values in a private file (see the client's withConfigFile)
      bootstrap: ({ cloud, controller, config }) =>
        describe('bootstrap', configInFile({ cloud, controller, config }, DESCRIBED_CONFIG_FILE)),
      addModel: ({ controller, model, cloud, config }) =>
        describe(
          'addModel',
          configInFile({ controller, model, config, ...(cloud ? { cloud } : {}) }, DESCRIBED_CONFIG_FILE),
        ),
      deployBundle: ({ controller, model, bundlePath, overlays }) =>
        describe('deploy', { model: qualified(controller, model), bundlePath, overlays }),
      status: (controller, model) => describe('status', { model: qualified(controller, model) }),
      destroyModel: ({ controller, model, force }) =>
        describe('destroyModel', {
          model: qualified(controller, model),
          ...(force ? { force: true, noWait: true } : {}),
        }),
      destroyController: ({ controller }) =>
        describe('destroyController', { controller, destroyAllModels: true }),
    },
  };
}

/**
 * juju inside the outer container: when the container is gone (deleted by hand, or not made yet), so
 * are its controller and models, which teardown and the deploy's postconditions must read as absent.
 */
export function nestedJujuPort(juju: JujuPort, containerRunning: () => Promise<boolean>): JujuPort {
  return {
    ...juju,
    controllerHealth: async (controller): Promise<ControllerHealth> =>
      (await containerRunning()) ? juju.controllerHealth(controller) : 'absent',
    modelExists: async (controller, model) =>
      (await containerRunning()) && juju.modelExists(controller, model),
  };
}
