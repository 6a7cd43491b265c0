import type { LabSpec } from '../lab/schema.js';
import type { LxdClient } from '../lxd/client.js';
import { holdsController, measureHost, modelProfileName, type LxdPort } from '../lxd/lab-port.js';
import type { Ledger } from '../state/ledger.js';
import { JobError } from '../util/errors.js';
import { instanceIdOf } from './lifecycle.js';
import { readSimState, updateSimState, type SimState } from './state.js';

// The simulator's LXD, as a lab sees it: the same LxdPort as this host's LXD, over the LXD objects in
// the simulator's state (profiles and containers, by name). The host's LXD is only measured (doctor's
// checks are information, never a refusal) and never changed. The simulated juju adds and removes its
// models' objects here too (juju/lxd-facts.ts).

/** Containers the simulator's models account for, plus `kept` (the nested layout's outer container). */
function expectedContainers(state: SimState, kept: readonly string[]): Set<string> {
  const models = Object.values(state.controllers).flatMap((c) => Object.values(c.models));
  return new Set([
    ...kept,
    ...models.flatMap((m) => Object.keys(m.machines).map((id) => instanceIdOf(m, id))),
  ]);
}

/** LXD objects in the simulator that no model or controller there accounts for (nor `kept`). */
async function simulatorOrphans(
  simDir: string,
  model: string,
  kept: readonly string[] = [],
): Promise<string[]> {
  const state = await readSimState(simDir);
  const models = Object.values(state.controllers).flatMap((c) => Object.values(c.models));
  const expected = expectedContainers(state, kept);
  const profiles = new Set(['default', ...models.map((m) => modelProfileName(m.name))]);
  return [
    ...state.lxd.containers.filter((c) => !expected.has(c)).map((c) => `simulated LXD container ${c}`),
    ...state.lxd.profiles
      .filter(
        (p) => !profiles.has(p) || (p === modelProfileName(model) && !models.some((m) => m.name === model)),
      )
      .map((p) => `simulated LXD profile ${p}`),
  ];
}

export function simulatedLxdPort(input: {
  spec: LabSpec;
  simDir: string;
  client: () => Promise<LxdClient>;
  env: NodeJS.ProcessEnv;
  labDirectory?: string;
}): LxdPort {
  const { spec, simDir } = input;
  const profileName = modelProfileName(spec.model);
  // The nested layout's outer container stands in the simulator's LXD; juju runs on this host in its place.
  const outer = spec.target.kind === 'nested-container' ? spec.target.container : undefined;
  // What the real port's prepare ensures on this host: the nested layout's external bridge is inside its outer container.
  const standIns = {
    pools: [spec.lxd.storagePool],
    networks: [spec.lxd.bridge, ...(outer ? [] : [spec.network.externalBridge])],
  };
  const outerRecords = (ledger: Ledger) =>
    ledger.liveResources('lxd-instance').filter((r) => r.data?.simulated === true);
  return {
    preflight: () => measureHost(spec, input.client, 'optional', input.env, input.labDirectory),
    prepare: async (ledger) => {
      const { pools, networks } = standIns;
      // The simulator's LXD gets the pool and bridges in place of the host's (by name, and kept: the
      // stand-ins are not this lab's records), so that a resumed deploy can find them gone.
      await updateSimState(simDir, async (state) => {
        state.lxd.pools = [...new Set([...(state.lxd.pools ?? []), ...pools])];
        state.lxd.networks = [...new Set([...(state.lxd.networks ?? []), ...networks])];
      });
      const notes = [
        `SIMULATION: host LXD untouched; the simulator stands in for pool ${pools.join(', ')} and bridge${networks.length === 1 ? '' : 's'} ${networks.join(', ')}`,
      ];
      if (!outer) return notes;
      const record = await ledger.beginResource({
        kind: 'lxd-instance',
        name: outer,
        data: { simulated: true, role: 'nested-host' },
      });
      await updateSimState(simDir, async (state) => {
        if (!state.lxd.containers.includes(outer)) state.lxd.containers.push(outer);
      });
      await ledger.commitResource(record.id);
      notes.push(
        `SIMULATION: outer container ${outer} stands in the simulator; juju runs on this host in its place`,
      );
      return notes;
    },
    preparationMissing: async () => {
      const { lxd } = await readSimState(simDir);
      return [
        ...standIns.pools.filter((p) => !lxd.pools?.includes(p)).map((p) => `storage pool ${p}`),
        ...standIns.networks.filter((n) => !lxd.networks?.includes(n)).map((n) => `network ${n}`),
        ...(outer && !lxd.containers.includes(outer) ? [`outer container ${outer}`] : []),
      ];
    },
    applyModelProfile: async () => {
      const state = await readSimState(simDir);
      if (!state.lxd.profiles.includes(profileName)) {
        throw new JobError(
          `the simulator has no LXD profile ${profileName} after add-model; run \`lxdstack deploy --simulate\` again.`,
        );
      }
      return [`SIMULATION: profile ${profileName} present in the simulator (names only, no content)`];
    },
    ...(outer
      ? {
          expose: async () => {
            const { DASHBOARD_LISTEN, hostPort } = await import('../lxd/nested.js');
            return [
              `SIMULATION: no route or proxy device; a real lab routes ${spec.lxd.bridge}'s network inside ${outer} via its address and serves the dashboard on ${hostPort(DASHBOARD_LISTEN)}`,
            ];
          },
        }
      : {}),
    removeLabResources: async (ledger) => {
      if (holdsController(ledger))
        return outer ? [`SIMULATION: outer container ${outer} kept: it holds the controller`] : [];
      const notes: string[] = [];
      for (const record of outerRecords(ledger)) {
        await updateSimState(simDir, async (state) => {
          state.lxd.containers = state.lxd.containers.filter((c) => c !== record.name);
        });
        // released only once read back gone, as a real LXD's records are
        if ((await readSimState(simDir)).lxd.containers.includes(record.name))
          throw new JobError(
            `the simulated outer container ${record.name} is still there after its deletion; run teardown again.`,
          );
        await ledger.releaseResource(record.id);
        notes.push(`SIMULATION: outer container ${record.name} deleted`);
      }
      return notes;
    },
    removeModelLeftovers: async (model) => {
      const kept = outer ? [outer] : [];
      const orphans = await simulatorOrphans(simDir, model, kept);
      await updateSimState(simDir, async (state) => {
        const expected = expectedContainers(state, kept);
        state.lxd.containers = state.lxd.containers.filter((c) => expected.has(c));
        const models = Object.values(state.controllers).flatMap((c) => Object.values(c.models));
        if (!models.some((m) => m.name === model))
          state.lxd.profiles = state.lxd.profiles.filter((p) => p !== modelProfileName(model));
      });
      return orphans.map((o) => `removed ${o}`);
    },
    leftovers: (ledger, model) =>
      simulatorOrphans(simDir, model, outer && holdsController(ledger) ? [outer] : []),
    inventory: async () =>
      `${JSON.stringify({ simulated: true, lxd: (await readSimState(simDir)).lxd }, null, 2)}\n`,
    describe: {
      prepare: () => [
        'SIMULATION: no LXD command; the simulator stands in for the pool, the bridge and the profile',
        ...(outer ? [`SIMULATION: the outer container ${outer} is a name in the simulator's LXD`] : []),
      ],
      profile: () => `SIMULATION: the simulator names profile ${profileName}; no content is applied`,
      ...(outer
        ? { expose: () => ['SIMULATION: no route or proxy device; the simulator has no network to reach'] }
        : {}),
    },
  };
}
