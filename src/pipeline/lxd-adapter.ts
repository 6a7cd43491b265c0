import type { LxdClient } from '../lxd/client.js';
import { lxcEquivalent } from '../lxd/lxc.js';
import { externalBridgeConfig, type ModelProfile } from '../lxd/prepare.js';
import { instanceIdOf } from '../sim/lifecycle.js';
import { readSimState, updateSimState, type SimState } from '../sim/state.js';
import type { LabSpec } from '../lab/schema.js';
import { JobError, errorMessage } from '../util/errors.js';
import { parseYaml } from '../util/yaml.js';
import type { Ledger } from '../state/ledger.js';
import type { LxdPort, PreflightCheck } from './ports.js';

// The LXD port: on a real lab, src/lxd's doctor, host preparation and teardown over the REST client; on
// a simulated lab, the host is only measured (information, never a refusal) and every LXD object the
// lab would create lives in the simulator's state. src/lxd's modules load on first use, so that
// `lxdstack plan` (which only describes the steps) starts fast.

/** The model's LXD profile, as Juju names it. */
export function modelProfileName(model: string): string {
  return `juju-${model}`;
}

export function parseModelProfile(yamlText: string): ModelProfile {
  const parsed = parseYaml(yamlText, 'lxd-profile.yaml') as Partial<ModelProfile> | null;
  return {
    ...(typeof parsed?.description === 'string' ? { description: parsed.description } : {}),
    config: parsed?.config ?? {},
    devices: parsed?.devices ?? {},
  };
}

/** Doctor's checks for the lab. juju is optional on this host when the simulator plays it or when it runs in the outer container. */
export async function measureHost(
  spec: LabSpec,
  client: () => Promise<LxdClient>,
  juju: 'needed' | 'optional',
  env: NodeJS.ProcessEnv,
): Promise<PreflightCheck[]> {
  let lxd: LxdClient;
  try {
    lxd = await client();
  } catch (error) {
    return [
      {
        id: 'lxd-socket',
        title: 'LXD socket',
        status: 'fail',
        measured: errorMessage(error),
        fix: 'install LXD (`lxdstack doctor` says how)',
      },
    ];
  }
  const { runDoctorChecks } = await import('../lxd/doctor.js');
  const results = await runDoctorChecks({ spec, juju, containerSmoke: false, env }, { client: lxd });
  return results.map(({ id, title, status, measured, fix }) => ({
    id,
    title,
    status,
    measured,
    ...(fix ? { fix } : {}),
  }));
}

export function realLxdPort(input: {
  spec: LabSpec;
  profileYaml: () => Promise<string>;
  client: () => Promise<LxdClient>;
  env: NodeJS.ProcessEnv;
}): LxdPort {
  const { spec } = input;
  const profileName = modelProfileName(spec.model);
  const teardown = () => import('../lxd/teardown.js');
  const prepare = async (ledger: Ledger) => {
    const { prepareLxd } = await import('../lxd/prepare.js');
    const report = await prepareLxd(spec, {
      client: await input.client(),
      ledger,
      profileName,
      profile: parseModelProfile(await input.profileYaml()),
    });
    const notes = [
      report.pool.created ? `pool ${report.pool.name} created` : `pool ${report.pool.name} present`,
      report.bridge.created ? `bridge ${report.bridge.name} created` : `bridge ${report.bridge.name} present`,
      `external bridge ${report.externalBridge.name} ${report.externalBridge.created ? 'created' : 'present'} (gateway ${report.externalBridge.address}, NAT, no DHCP)`,
      `profile ${profileName} applied`,
    ];
    if (report.profile.dropped.length) notes.push(`LXD dropped ${report.profile.dropped.join(', ')}`);
    for (const change of report.profile.changed)
      notes.push(`LXD changed ${change.key} to ${change.actual ?? '(nothing)'}`);
    return notes;
  };
  return {
    preflight: () => measureHost(spec, input.client, 'needed', input.env),
    prepare,
    applyModelProfile: async (ledger) =>
      (await prepare(ledger)).filter((n) => n.startsWith('profile') || n.startsWith('LXD')),
    removeLabResources: async (ledger) =>
      (await (await teardown()).removeLabLxdResources(ledger, await input.client())).map((s) => s.command),
    removeModelLeftovers: async (model) =>
      (await teardown()).removeModelLeftovers(await input.client(), model),
    leftovers: async (ledger, model) => (await teardown()).lxdLeftovers(ledger, await input.client(), model),
    inventory: async () => (await teardown()).lxdInventory(await input.client()),
    describe: {
      prepare: () => [
        lxcEquivalent.storageCreate(spec.lxd.storagePool, spec.lxd.storageDriver) + '  (only if missing)',
        lxcEquivalent.networkCreate(spec.lxd.bridge, {}) + '  (only if missing)',
        `${lxcEquivalent.networkCreate(spec.network.externalBridge, externalBridgeConfig(spec))}  (only if missing: the external network's gateway)`,
        lxcEquivalent.profileEdit(profileName),
      ],
      profile: () => lxcEquivalent.profileEdit(profileName),
    },
  };
}

/** Containers the simulator's models account for, plus `kept` (the nested layout's outer container). */
function expectedContainers(state: SimState, kept: readonly string[]): Set<string> {
  const models = Object.values(state.controllers).flatMap((c) => Object.values(c.models));
  return new Set([
    ...kept,
    ...models.flatMap((m) => Object.keys(m.machines).map((id) => instanceIdOf(m, id))),
  ]);
}

/** LXD objects in the simulator that no model or controller there accounts for (nor `kept`). */
export async function simulatorOrphans(
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

/** A controller recorded as this lab's and not yet removed: in the nested layout it lives in the outer container. */
export const holdsController = (ledger: Ledger) => ledger.liveResources('controller').length > 0;

export function simulatedLxdPort(input: {
  spec: LabSpec;
  simDir: string;
  client: () => Promise<LxdClient>;
  env: NodeJS.ProcessEnv;
}): LxdPort {
  const { spec, simDir } = input;
  const profileName = modelProfileName(spec.model);
  // The nested layout's outer container stands in the simulator's LXD; juju runs on this host in its place.
  const outer = spec.target.kind === 'nested-container' ? spec.target.container : undefined;
  const outerRecords = (ledger: Ledger) =>
    ledger.liveResources('lxd-instance').filter((r) => r.data?.simulated === true);
  return {
    preflight: () => measureHost(spec, input.client, 'optional', input.env),
    prepare: async (ledger) => {
      const notes = [
        `SIMULATION: host LXD untouched; the simulator stands in for pool ${spec.lxd.storagePool} and bridge ${spec.lxd.bridge}`,
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
