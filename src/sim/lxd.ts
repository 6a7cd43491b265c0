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

/** Where the simulator's LXD keeps each kind of lab record, and what a person calls it. */
const SIMULATED_OBJECTS = {
  'lxd-instance': ['containers', 'outer container'],
  'lxd-pool': ['pools', 'storage pool'],
  'lxd-network': ['networks', 'network'],
} as const;

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
  const standInRecords = (ledger: Ledger) =>
    [...ledger.liveResources('lxd-network'), ...ledger.liveResources('lxd-pool')].filter(
      (r) => r.data?.simulated === true,
    );
  return {
    preflight: () => measureHost(spec, input.client, 'optional', input.env, input.labDirectory),
    prepare: async (ledger) => {
      const { pools, networks } = standIns;
      // The simulator's LXD gets the pool and bridges in place of the host's, by name. Like the real
      // port, what prepare creates is the lab's record, removed by teardown; what was there is left.
      const { lxd } = await readSimState(simDir);
      const created = [
        ...pools
          .filter((name) => !lxd.pools?.includes(name))
          .map((name) => ({ kind: 'lxd-pool' as const, name })),
        ...networks
          .filter((name) => !lxd.networks?.includes(name))
          .map((name) => ({ kind: 'lxd-network' as const, name })),
      ];
      for (const { kind, name } of created) {
        const record = await ledger.beginResource({ kind, name, data: { simulated: true } });
        await updateSimState(simDir, async (state) => {
          const key = kind === 'lxd-pool' ? 'pools' : 'networks';
          state.lxd[key] = [...new Set([...(state.lxd[key] ?? []), name])];
        });
        await ledger.commitResource(record.id);
      }
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
      const records = [...outerRecords(ledger), ...standInRecords(ledger)];
      for (const record of records) {
        const [key, what] = SIMULATED_OBJECTS[record.kind as keyof typeof SIMULATED_OBJECTS];
        await updateSimState(simDir, async (state) => {
          const left = (state.lxd[key] ?? []).filter((name) => name !== record.name);
          // as it was before prepare: a simulator that never had a pool or bridge has no such list
          if (left.length > 0 || key === 'containers') state.lxd[key] = left;
          else delete state.lxd[key];
        });
        // released only once read back gone, as a real LXD's records are
        if ((await readSimState(simDir)).lxd[key]?.includes(record.name))
          throw new JobError(
            `the simulated ${what} ${record.name} is still there after its deletion; run teardown again.`,
          );
        await ledger.releaseResource(record.id);
        notes.push(`SIMULATION: ${what} ${record.name} deleted`);
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
