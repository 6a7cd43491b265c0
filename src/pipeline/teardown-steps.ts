import { InterruptedError, JobError, TimeoutError, errorMessage } from '../util/errors.js';
import type { Ledger, ResourceRecord } from '../state/ledger.js';
import type { LabPorts } from './ports.js';
import { STAGING } from './deploy-steps.js';
import type { Step } from './steps.js';

// Teardown walks the ledger newest first and removes only what this lab created: OpenStack resources,
// then the model (escalating: destroy-model, then --force --no-wait, then LXD-level removal of what is
// left), then the controller unless kept, then LXD resources and host changes; it ends by checking the
// host is clean and reporting what remained. A record is released only once its thing is seen to be
// gone (a controller that is gone took its models with it); Ctrl-C stops teardown where it is, never
// escalating to force, and the next teardown resumes.

export interface TeardownInput {
  ledger: Ledger;
  ports: LabPorts;
  /** The lab's model name (leftover LXD objects are named after it). */
  model: string;
  keepController: boolean;
  /** The lab's machines are not this host's LXD containers (existing controller, MAAS, LXD cluster). */
  remoteTarget: boolean;
  /** How long a graceful destroy-model may take before force is used. */
  gracefulTimeoutMs: number;
  /** Receives anything that remained after teardown, one sentence each. */
  onLeftovers: (leftovers: string[]) => void;
}

/** Models and controllers of this lab, newest first. */
function liveNewestFirst(ledger: Ledger, kind: ResourceRecord['kind']): ResourceRecord[] {
  return ledger.liveResources(kind).reverse();
}

/** Ctrl-C during a step: stop here (exit 130, resumable), whatever the call in flight said. */
function stopIfInterrupted(signal: AbortSignal, error?: unknown): void {
  if (signal.aborted || error instanceof InterruptedError) throw new InterruptedError();
}

/** Poll `gone` until it holds or `timeoutMs` passes (a forced destroy with --no-wait returns early). */
async function goneWithin(
  gone: () => Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await gone()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(2000, Math.max(0, deadline - Date.now())));
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
    stopIfInterrupted(signal);
  }
}

function splitModelName(record: ResourceRecord): { controller: string; model: string } {
  const at = record.name.indexOf(':');
  return { controller: record.name.slice(0, at), model: record.name.slice(at + 1) };
}

export function teardownSteps(input: TeardownInput): Step[] {
  const { ledger, ports } = input;

  const cloud: Step = {
    name: 'teardown:cloud',
    title: 'Remove OpenStack resources',
    commands: () => [
      'OpenStack API calls deleting the images, flavors, networks, routers and rules this lab created',
    ],
    satisfied: async () => {
      const openstack = ledger.liveResources().filter((r) => r.kind.startsWith('openstack-'));
      return openstack.length === 0 ? 'this lab created none' : undefined;
    },
    run: async (io) => {
      const notes = await ports.cloud.removeResources(ledger);
      notes.forEach((note) => io.report(note));
      return `${notes.length} removed`;
    },
    retries: 1,
  };

  const models: Step = {
    name: 'teardown:model',
    title: 'Destroy the model',
    commands: () =>
      liveNewestFirst(ledger, 'model').flatMap((record) => {
        const names = splitModelName(record);
        return [
          ports.juju.describe.destroyModel({ ...names, force: false }),
          `${ports.juju.describe.destroyModel({ ...names, force: true })}  (only if the first did not finish in time)`,
        ];
      }),
    satisfied: async () =>
      liveNewestFirst(ledger, 'model').length === 0 ? 'this lab created no model' : undefined,
    run: async (io) => {
      const removed: string[] = [];
      for (const record of liveNewestFirst(ledger, 'model')) {
        const names = splitModelName(record);
        const gone = async () =>
          (await ports.juju.controllerHealth(names.controller)) === 'absent' ||
          !(await ports.juju.modelExists(names.controller, names.model));
        if ((await ports.juju.controllerHealth(names.controller)) === 'absent') {
          io.report(`controller ${names.controller} is gone, and model ${names.model} with it`);
          // Its machines may outlive it on this host (a controller container deleted by hand).
          if (!input.remoteTarget) {
            for (const note of await ports.lxd.removeModelLeftovers(names.model)) io.report(note);
          }
          await ledger.releaseResource(record.id);
          continue;
        }
        if (!(await ports.juju.modelExists(names.controller, names.model))) {
          await ledger.releaseResource(record.id);
          continue;
        }
        let forced = false;
        try {
          await ports.juju.destroyModel({ ...names, force: false, timeoutMs: input.gracefulTimeoutMs });
        } catch (error) {
          stopIfInterrupted(io.signal, error);
          const why =
            error instanceof TimeoutError ? 'did not finish in time' : errorMessage(error).split('\n')[0];
          io.report(`destroy-model ${why}; forcing (--force --no-wait)`);
          forced = true;
          try {
            await ports.juju.destroyModel({ ...names, force: true, timeoutMs: input.gracefulTimeoutMs });
          } catch (forceError) {
            stopIfInterrupted(io.signal, forceError);
            io.report(
              `forced destroy-model failed too (${errorMessage(forceError).split('\n')[0]})${input.remoteTarget ? '' : '; removing its LXD instances and profile'}`,
            );
          }
          if (!input.remoteTarget) {
            for (const note of await ports.lxd.removeModelLeftovers(names.model)) io.report(note);
          }
        }
        // Released only when juju no longer knows the model; a forced destroy (--no-wait) may take a while.
        if (!(await goneWithin(gone, forced ? input.gracefulTimeoutMs : 0, io.signal))) {
          throw new JobError(
            `model ${record.name} still exists after ${forced ? 'a forced ' : ''}destroy-model${input.remoteTarget ? ' (a remote target: there is no LXD-level removal to fall back on)' : ''}`,
            {
              details: [
                `Look at it with \`juju status -m ${record.name}\`; \`juju destroy-model ${record.name} --force\` removes it by hand.`,
              ],
            },
          );
        }
        await ledger.releaseResource(record.id);
        removed.push(record.name);
      }
      return removed.length ? `destroyed ${removed.join(', ')}` : 'already gone';
    },
  };

  const controller: Step = {
    name: 'teardown:controller',
    title: 'Destroy the controller',
    commands: () =>
      liveNewestFirst(ledger, 'controller').map((r) =>
        ports.juju.describe.destroyController({ controller: r.name }),
      ),
    satisfied: async () => {
      if (liveNewestFirst(ledger, 'controller').length === 0) return 'this lab did not create one (kept)';
      if (input.keepController) return 'kept (--keep-controller)';
      return undefined;
    },
    run: async (io) => {
      for (const record of liveNewestFirst(ledger, 'controller')) {
        if ((await ports.juju.controllerHealth(record.name)) === 'absent') {
          await ledger.releaseResource(record.id);
          continue;
        }
        try {
          await ports.juju.destroyController({
            controller: record.name,
            force: false,
            timeoutMs: input.gracefulTimeoutMs,
          });
        } catch (error) {
          stopIfInterrupted(io.signal, error);
          io.report(`destroy-controller failed (${errorMessage(error).split('\n')[0]}); killing it`);
          await ports.juju.destroyController({
            controller: record.name,
            force: true,
            timeoutMs: input.gracefulTimeoutMs,
          });
        }
        if ((await ports.juju.controllerHealth(record.name)) !== 'absent') {
          throw new JobError(`controller ${record.name} is still known to juju after destroy-controller`, {
            details: [`\`juju kill-controller ${record.name}\` removes it by hand.`],
          });
        }
        await ledger.releaseResource(record.id);
      }
      return 'destroyed';
    },
  };

  const staged = () => ledger.liveResources('file').filter((r) => r.data?.by === STAGING);
  const staging: Step = {
    name: 'teardown:staging',
    title: 'Remove the files staged for juju in home',
    commands: () => staged().map((r) => `rm -r ${r.name}`),
    satisfied: async () => (staged().length === 0 ? 'nothing was staged' : undefined),
    run: async () => {
      for (const record of staged()) {
        await ports.staging?.remove(record.name);
        await ledger.releaseResource(record.id);
      }
      return 'removed';
    },
  };

  const lxd: Step = {
    name: 'teardown:lxd',
    title: 'Remove LXD resources and restore host values',
    commands: () => ['LXD API calls deleting the instances, profiles, networks and pools this lab created'],
    satisfied: async () => {
      const kinds = new Set([
        'lxd-profile',
        'lxd-network',
        'lxd-network-config',
        'lxd-pool',
        'lxd-instance',
        'lxd-device',
        'sysctl',
        'host-route',
        'file',
      ]);
      return ledger.liveResources().some((r) => kinds.has(r.kind)) ? undefined : 'this lab created none';
    },
    run: async (io) => {
      const notes = await ports.lxd.removeLabResources(ledger);
      notes.forEach((note) => io.report(note));
      return notes.length ? notes.join('; ') : undefined;
    },
    retries: 1,
  };

  const check: Step = {
    name: 'teardown:check',
    title: 'Check the host is clean',
    commands: () => ['LXD API: list instances and profiles named after the lab'],
    satisfied: async () => undefined,
    run: async () => {
      const leftovers = [
        ...(input.remoteTarget ? [] : await ports.lxd.leftovers(ledger, input.model)),
        ...ledger
          .liveResources()
          // LXD records are the LXD port's to report; the rest are Juju's and OpenStack's.
          .filter((r) => !r.kind.startsWith('lxd-') && !['sysctl', 'host-route', 'file'].includes(r.kind))
          .filter((r) => !(input.keepController && r.kind === 'controller'))
          .map((r) => `${r.kind} ${r.name} is still recorded as ${r.state}`),
      ];
      input.onLeftovers(leftovers);
      return leftovers.length === 0 ? 'nothing left' : `${leftovers.length} leftover(s)`;
    },
  };

  return [cloud, models, controller, staging, lxd, check];
}
