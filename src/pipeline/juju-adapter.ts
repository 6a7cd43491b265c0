import { jujuArgv, type JujuFlavour, type JujuOp, type JujuOps } from '../juju/argv.js';
import type { JujuClient, JujuClientOptions } from '../juju/client.js';
import { pendingBundleChanges } from '../juju/bundle-diff.js';
import { ControllerNotFoundError, ModelNotFoundError } from '../juju/errors.js';
import { assessReadiness, waitForReady, type ReadyResult } from '../juju/readiness.js';
import { InterruptedError, JobError, formatDuration } from '../util/errors.js';
import { describeCommand } from '../util/run.js';
import type { CommandRunner } from '../util/runner.js';
import { compareUnitNames, digestStatus, type StatusDigest } from '../juju/status.js';
import type { JujuPort, WaitProgress } from './ports.js';

// The Juju port over src/juju's client: one juju command per method, the 2.9/3.x argv differences left to
// the client; the readiness wait is src/juju's. Status reads are counted, for the polling-policy bench.

export interface JujuPortOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The flavour the lab's profile is written for: describes commands without running juju. */
  flavour: JujuFlavour;
  /** How often readiness must see the same ready state before it counts (ms of settling). */
  settleMs: number;
  /** Counts every `juju status` call made through this port. */
  onStatusCall?: () => void;
  /** Where juju runs when not on this host (the nested layout's outer container). */
  runner?: () => Promise<CommandRunner>;
  /** What described commands start with when juju runs elsewhere (`lxc exec openstack --`). */
  commandPrefix?: string;
}

const qualified = (controller: string, model: string) => `${controller}:${model}`;

/** Units per application (subordinates included), as the progress line shows them. Pure. */
export function progressOf(digest: StatusDigest, elapsedMs: number): WaitProgress {
  return {
    elapsedMs,
    applications: Object.entries(digest.applications)
      .map(([application, app]) => ({
        application,
        ready: app.ready,
        wanted: app.units,
        message: app.errors.length ? `error on ${app.errors.join(', ')}` : app.message,
      }))
      .sort((a, b) => a.application.localeCompare(b.application)),
  };
}

/** Juju-level smoke checks from one status digest. Pure. */
export function jujuChecksOf(
  digest: StatusDigest,
  unitless: readonly string[],
): { name: string; ok: boolean; detail: string }[] {
  const apps = Object.entries(digest.applications).filter(
    ([name, a]) => !(unitless.includes(name) && a.units === 0),
  );
  const notReady = apps
    .filter(([, a]) => a.units === 0 || a.ready < a.units)
    .map(([name, a]) => `${name} ${a.ready}/${a.units}`);
  const errors = apps.flatMap(([, a]) => a.errors);
  const machines = Object.entries(digest.machines);
  const badMachines = machines.filter(([, m]) => m.state !== 'started').map(([id, m]) => `${id} ${m.state}`);
  const leaderless = apps
    .filter(([, a]) => a.units > 0 && !a.subordinate && a.leaders !== 1)
    .map(([name]) => name);
  return [
    {
      name: 'juju: every application active and idle',
      ok: notReady.length === 0,
      detail: notReady.length ? `not ready: ${notReady.join(', ')}` : `${apps.length} applications`,
    },
    {
      name: 'juju: no unit in error',
      ok: errors.length === 0,
      detail: errors.length ? errors.join(', ') : `${digest.units.total} units`,
    },
    {
      name: 'juju: every machine started',
      ok: badMachines.length === 0,
      detail: badMachines.length ? badMachines.join(', ') : `${machines.length} machines`,
    },
    {
      name: 'juju: one leader per application',
      ok: leaderless.length === 0,
      detail: leaderless.length ? `no single leader: ${leaderless.join(', ')}` : 'ok',
    },
  ];
}

/** A readiness wait that did not end ready becomes a JobError naming the unit, the cause and the log. */
export function throwUnlessReady(result: ReadyResult): void {
  switch (result.kind) {
    case 'ready':
      return;
    case 'failed': {
      const where = result.unit
        ? `unit ${result.unit}`
        : result.machine
          ? `machine ${result.machine}`
          : 'the model';
      throw new JobError(
        `${where} failed: ${result.message}${result.hook ? ` (hook ${result.hook})` : ''}; ${result.hint}`,
        {
          details: result.log.length ? ['last lines of its debug-log:', ...result.log.slice(-10)] : [],
        },
      );
    }
    case 'stalled':
      throw new JobError(`readiness stalled: ${result.hint}`, { details: result.reasons.slice(0, 10) });
    case 'timeout':
      throw new JobError(`the model was not ready after ${formatDuration(result.elapsedMs)}`, {
        details: result.reasons.slice(0, 10),
      });
  }
}

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
  let shared: Promise<JujuClient> | undefined;
  const client = () => (shared ??= newClient());
  const status = async (controller: string, model: string) => {
    options.onStatusCall?.();
    return (await client()).status(qualified(controller, model));
  };
  const describe = <Op extends JujuOp>(op: Op, params: JujuOps[Op]) =>
    `${options.commandPrefix ? `${options.commandPrefix} ` : ''}${describeCommand('juju', jujuArgv(options.flavour, op, params))}`;

  return {
    flavour: async () => (await (await client()).version()).flavour,
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
        stallMs: Math.max(timeoutMs / 3, 60_000),
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
      bootstrap: ({ cloud, controller, config }) => describe('bootstrap', { cloud, controller, config }),
      addModel: ({ controller, model, cloud, config }) =>
        describe('addModel', { controller, model, config, ...(cloud ? { cloud } : {}) }),
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
