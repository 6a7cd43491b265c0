import type { SimFaults } from './faults.js';
import type { SimApplication, SimController, SimMachine, SimModel, SimUnit } from './state.js';
import { UBUNTU_VERSIONS } from '../juju/series.js';
import { formatConstraints, formatHardware } from './constraints.js';
import { createCharmWorld, type CharmWorld } from './charms/engine.js';

// What `juju status --format=json` shows at a given instant, computed from creation timestamps (pure).
// Timeline (simulated seconds; real time = simulated / speed) follows juju-spec.md §3.3:
//   machine: pending → instance running with an address → agent started
//   unit:    allocating "waiting for machine" → "agent initialising" → executing install
//            ("installing charm software") → executing relation hooks (waiting "Incomplete relations")
//            → idle, then what the unit's charm shows (sim/charms: its behaviour table, e.g. vault blocked
//            until initialised; a charm without a table shows active "Unit is ready");
//            subordinates start once their principal is installed.

export type SimFlavour = '2.9' | '3';

export interface RenderInput {
  controller: SimController;
  model: SimModel;
  flavour: SimFlavour;
  version: string;
  now: number;
  /** Simulated seconds per real second; 0 settles everything at once. */
  speed: number;
  faults: SimFaults;
}

const DEFAULT_SERIES = 'jammy';

/** A series name or `ubuntu@22.04` base → `{series, channel}`. */
export function baseOf(value: string | undefined): { series: string; channel: string } {
  const text = value ?? DEFAULT_SERIES;
  const at = /^ubuntu@(\d+\.\d+)/.exec(text);
  if (at) {
    const series = Object.entries(UBUNTU_VERSIONS).find(([, v]) => v === at[1])?.[0] ?? DEFAULT_SERIES;
    return { series, channel: at[1]! };
  }
  return { series: text, channel: UBUNTU_VERSIONS[text] ?? '22.04' };
}

/** Deterministic 0..1 from a name, so each unit settles at its own (repeatable) pace. */
export function jitter(name: string): number {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return ((hash >>> 0) % 1000) / 1000;
}

/** Format `since` as juju does by default: `02 Jan 2006 15:04:05Z07:00` in local time. */
export function formatSince(ms: number): string {
  const date = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone =
    offset === 0
      ? 'Z'
      : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${pad(date.getDate())} ${months[date.getMonth()]} ${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

export function instanceIdOf(model: SimModel, machineId: string): string {
  return `juju-${model.uuid.replaceAll('-', '').slice(-6)}-${machineId.replaceAll('/', '-')}`;
}

export function addressOf(model: SimModel, machine: SimMachine): string {
  const hex = model.uuid.replaceAll('-', '');
  const second = (parseInt(hex.slice(0, 2), 16) % 200) + 20;
  const host = 10 + machine.ordinal;
  return `10.${second}.${Math.floor(host / 250)}.${(host % 250) + 2}`;
}

/** Real instant at which something `simMs` after `anchor` happens. */
function after(anchor: number, simMs: number, speed: number): number {
  if (!Number.isFinite(anchor)) return Infinity;
  return speed <= 0 ? anchor : anchor + simMs / speed;
}

interface MachineTimes {
  provisionedAt: number;
  startedAt: number;
  addressed: boolean;
}

export function machineTimes(
  input: RenderInput,
  machine: SimMachine,
  cache = new Map<string, MachineTimes>(),
): MachineTimes {
  const known = cache.get(machine.id);
  if (known) return known;
  const { model, speed, faults } = input;
  let anchor = machine.createdAt;
  if (machine.parent) {
    const parent = model.machines[machine.parent];
    anchor = Math.max(anchor, parent ? machineTimes(input, parent, cache).startedAt : Infinity);
  }
  const provisionedAt = after(anchor, (machine.parent ? 6 : 10 + (machine.ordinal % 6) * 2) * 1000, speed);
  const addressed = !(faults.machinesWithoutAddress ?? []).includes(machine.id);
  const startedAt = addressed ? after(provisionedAt, 4000, speed) : Infinity;
  const times = { provisionedAt, startedAt, addressed };
  cache.set(machine.id, times);
  return times;
}

export interface UnitTimes {
  /** When its machine (or, for a subordinate, its principal) is ready for it. */
  hostReadyAt: number;
  agentStartAt: number;
  installAt: number;
  configureAt: number;
  readyAt: number;
}

export function unitTimes(
  input: RenderInput,
  unit: SimUnit,
  machineCache = new Map<string, MachineTimes>(),
): UnitTimes {
  const { model, speed } = input;
  let anchor: number;
  let scale = 1;
  if (unit.principal) {
    const principal = findUnit(model, unit.principal);
    anchor = principal
      ? Math.max(unit.createdAt, unitTimes(input, principal, machineCache).configureAt)
      : Infinity;
    scale = 0.5;
  } else {
    const machine = unit.machine === undefined ? undefined : model.machines[unit.machine];
    anchor = machine
      ? Math.max(unit.createdAt, machineTimes(input, machine, machineCache).startedAt)
      : Infinity;
  }
  const agentStartAt = after(anchor, 4000 * scale, speed);
  const installAt = agentStartAt;
  const configureAt = after(installAt, (25_000 + jitter(unit.name) * 15_000) * scale, speed);
  const readyAt = after(configureAt, (10_000 + jitter(`${unit.name}#`) * 10_000) * scale, speed);
  return { hostReadyAt: anchor, agentStartAt, installAt, configureAt, readyAt };
}

export function findUnit(model: SimModel, name: string): SimUnit | undefined {
  const app = model.applications[name.split('/')[0] ?? ''];
  return app?.units[name];
}

interface StatusValue {
  current: string;
  message?: string;
  since: string;
  version?: string;
}

function statusValue(current: string, since: number, message?: string, version?: string): StatusValue {
  return {
    current,
    ...(message ? { message } : {}),
    since: formatSince(since),
    ...(version ? { version } : {}),
  };
}

interface UnitView {
  workload: StatusValue;
  agent: StatusValue;
  settledAgentStart: number;
}

function endpointOf(app: string, model: SimModel): string | undefined {
  for (const [a, b] of model.relations) {
    for (const ep of [a, b]) if (ep.startsWith(`${app}:`)) return ep.slice(app.length + 1);
  }
  return undefined;
}

export function unitView(
  input: RenderInput,
  unit: SimUnit,
  cache: Map<string, MachineTimes>,
  charms?: CharmWorld,
): UnitView {
  const { now, version, faults, model } = input;
  const times = unitTimes(input, unit, cache);
  const app = unit.name.split('/')[0]!;
  const failure = (faults.unitErrors ?? []).find((f) => f.unit === unit.name);
  const failAt = failure
    ? (failure.hook ?? 'install') === 'install'
      ? times.installAt
      : times.configureAt
    : Infinity;
  const lost = (faults.lostAgents ?? []).includes(unit.name);
  const agent = (current: string, since: number, message?: string) =>
    statusValue(current, since, message, version);
  if (now >= failAt) {
    return {
      workload: statusValue('error', failAt, `hook failed: "${failure?.hook ?? 'install'}"`),
      agent: agent('idle', failAt),
      settledAgentStart: times.agentStartAt,
    };
  }
  if (now >= times.readyAt) {
    if (lost) {
      return {
        workload: statusValue(
          'unknown',
          times.readyAt,
          `agent lost, see 'juju show-status-log ${unit.name}'`,
        ),
        agent: agent('lost', times.readyAt, 'agent is not communicating with the server'),
        settledAgentStart: times.agentStartAt,
      };
    }
    const charm = charms?.unitStatus(unit, now);
    return {
      workload: charm
        ? statusValue(charm.current, charm.since, charm.message)
        : statusValue('active', times.readyAt, 'Unit is ready'),
      agent: agent('idle', times.readyAt),
      settledAgentStart: times.agentStartAt,
    };
  }
  if (now >= times.configureAt) {
    const endpoint = endpointOf(app, model);
    return {
      workload: endpoint
        ? statusValue('waiting', times.configureAt, `Incomplete relations: ${endpoint}`)
        : statusValue('maintenance', times.configureAt, 'configuring charm'),
      agent: agent(
        'executing',
        times.configureAt,
        endpoint ? `running ${endpoint}-relation-changed hook` : 'running config-changed hook',
      ),
      settledAgentStart: times.agentStartAt,
    };
  }
  if (now >= times.installAt) {
    return {
      workload: statusValue('maintenance', times.installAt, 'installing charm software'),
      agent: agent('executing', times.installAt, 'running install hook'),
      settledAgentStart: times.agentStartAt,
    };
  }
  const waitingForMachine = now < times.hostReadyAt;
  return {
    workload: statusValue(
      'waiting',
      unit.createdAt,
      waitingForMachine && !unit.principal ? 'waiting for machine' : 'agent initialising',
    ),
    agent: agent('allocating', unit.createdAt),
    settledAgentStart: times.agentStartAt,
  };
}

const SEVERITY: Record<string, number> = {
  error: 100,
  blocked: 90,
  maintenance: 80,
  waiting: 70,
  active: 60,
  terminated: 50,
  unknown: 40,
};

/** Juju's DeriveStatus: the most severe unit workload status becomes the application's. */
function deriveApplicationStatus(views: UnitView[], createdAt: number): StatusValue {
  let worst: StatusValue | undefined;
  for (const view of views) {
    if (!worst || (SEVERITY[view.workload.current] ?? 0) > (SEVERITY[worst.current] ?? 0))
      worst = view.workload;
  }
  return worst ?? statusValue('unknown', createdAt);
}

function relationsOf(model: SimModel, app: SimApplication, flavour: SimFlavour): Record<string, unknown[]> {
  const relations: Record<string, unknown[]> = {};
  for (const pair of model.relations) {
    for (const [self, other] of [pair, [pair[1], pair[0]] as const]) {
      const [selfApp, selfEp] = self.split(':');
      const [otherApp, otherEp] = other.split(':');
      if (selfApp !== app.name || !otherApp) continue;
      const endpoint = selfEp ?? otherEp ?? 'juju-info';
      const otherSim = model.applications[otherApp];
      const scope =
        app.subordinate !== Boolean(otherSim?.subordinate) && isContainerRelation(model, pair)
          ? 'container'
          : 'global';
      const entry =
        flavour === '2.9'
          ? otherApp
          : { 'related-application': otherApp, interface: otherEp ?? endpoint, scope };
      (relations[endpoint] ??= []).push(entry);
    }
  }
  for (const list of Object.values(relations)) {
    list.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return relations;
}

/** Endpoints on which known subordinate charms attach to their principal (container scope). */
export const CONTAINER_ENDPOINTS: Record<string, string[]> = {
  'neutron-openvswitch': ['neutron-plugin'],
  lxd: ['lxd'],
  ntp: ['juju-info', 'ntp-peers'],
  nrpe: ['general-info', 'nrpe-external-master', 'local-monitors'],
  hacluster: ['ha'],
  'mysql-router': ['shared-db'],
  'ovn-chassis': ['nova-compute', 'juju-info'],
  'neutron-api-plugin-ovn': ['neutron-plugin'],
  'ceilometer-agent': ['nova-ceilometer'],
  'cinder-ceph': ['storage-backend'],
  'cinder-lvm': ['storage-backend'],
};

/** Whether a relation between a subordinate and a principal is the container-scoped one. */
export function isContainerRelation(model: SimModel, pair: [string, string]): boolean {
  for (const [self, other] of [pair, [pair[1], pair[0]] as const]) {
    const [selfApp, selfEp] = self.split(':');
    const app = model.applications[selfApp ?? ''];
    const otherApp = model.applications[other.split(':')[0] ?? ''];
    if (!app?.subordinate || !otherApp || otherApp.subordinate) continue;
    const known =
      CONTAINER_ENDPOINTS[app.charmName] ??
      (app.charmName.endsWith('mysql-router') ? ['shared-db'] : undefined);
    return known === undefined || selfEp === undefined || known.includes(selfEp);
  }
  return false;
}

function machineDocument(
  input: RenderInput,
  machine: SimMachine,
  cache: Map<string, MachineTimes>,
): Record<string, unknown> {
  const { model, now, version, flavour } = input;
  const times = machineTimes(input, machine, cache);
  const base = baseOf(machine.series);
  const instanceId = instanceIdOf(model, machine.id);
  const provisioned = now >= times.provisionedAt;
  const started = now >= times.startedAt;
  const address = addressOf(model, machine);
  const doc: Record<string, unknown> = {
    'juju-status': started
      ? statusValue('started', times.startedAt, undefined, version)
      : statusValue('pending', machine.createdAt, undefined, undefined),
  };
  if (provisioned) {
    doc.hostname = instanceId;
    if (times.addressed) {
      doc['dns-name'] = address;
      doc['ip-addresses'] = [address];
    }
  }
  doc['instance-id'] = provisioned ? instanceId : 'pending';
  doc['machine-status'] = provisioned
    ? statusValue('running', times.provisionedAt, 'Running')
    : statusValue('pending', machine.createdAt);
  doc['modification-status'] = statusValue('idle', machine.createdAt);
  if (flavour === '3') doc.base = { name: 'ubuntu', channel: base.channel };
  else doc.series = base.series;
  if (provisioned && times.addressed) {
    doc['network-interfaces'] = {
      eth0: {
        'ip-addresses': [address],
        'mac-address': `00:16:3e:${model.uuid.slice(-2)}:${(machine.ordinal >> 8).toString(16).padStart(2, '0')}:${(machine.ordinal & 255).toString(16).padStart(2, '0')}`,
        gateway: address.replace(/\.\d+$/, '.1'),
        'is-up': true,
      },
    };
  }
  const containers = Object.values(model.machines)
    .filter((m) => m.parent === machine.id)
    .sort((a, b) => a.id.localeCompare(b.id));
  if (containers.length > 0) {
    doc.containers = Object.fromEntries(containers.map((c) => [c.id, machineDocument(input, c, cache)]));
  }
  if (machine.constraints) doc.constraints = formatConstraints(machine.constraints);
  const cloudType = input.controller.cloudTypes?.[model.cloud] ?? 'lxd';
  doc.hardware = formatHardware(machine.constraints, cloudType, machine.parent !== undefined);
  return doc;
}

/** The charms' view of the model at `input.now`, on the units' lifecycle timeline. */
export function charmWorldOf(input: RenderInput, cache = new Map<string, MachineTimes>()): CharmWorld {
  return createCharmWorld({
    model: input.model,
    speed: input.speed,
    readyAt: (unit) => unitTimes(input, unit, cache).readyAt,
  });
}

function charmRevision(name: string): number {
  return 10 + Math.floor(jitter(`rev:${name}`) * 500);
}

/** The whole `juju status --format=json` document at `input.now`. */
export function renderStatusDocument(input: RenderInput): Record<string, unknown> {
  const { controller, model, flavour, version, now } = input;
  const cache = new Map<string, MachineTimes>();
  const machines = Object.values(model.machines)
    .filter((m) => m.parent === undefined)
    .sort((a, b) => a.id.localeCompare(b.id));
  const applications: Record<string, unknown> = {};
  const subordinateUnitsOf = new Map<string, SimUnit[]>();
  for (const app of Object.values(model.applications)) {
    if (!app.subordinate) continue;
    for (const unit of Object.values(app.units)) {
      if (unit.principal)
        subordinateUnitsOf.set(unit.principal, [...(subordinateUnitsOf.get(unit.principal) ?? []), unit]);
    }
  }
  const charms = charmWorldOf(input, cache);
  const viewsByApp = new Map<string, UnitView[]>();
  const leaderOf = (app: SimApplication): string | undefined =>
    Object.values(app.units)
      .filter((u) => now >= unitTimes(input, u, cache).agentStartAt)
      .sort((a, b) => Number(a.name.split('/')[1]) - Number(b.name.split('/')[1]))[0]?.name;
  const leaders = new Map(Object.values(model.applications).map((app) => [app.name, leaderOf(app)]));
  const unitDocument = (unit: SimUnit): Record<string, unknown> => {
    const view = unitView(input, unit, cache, charms);
    const appName = unit.name.split('/')[0]!;
    viewsByApp.set(appName, [...(viewsByApp.get(appName) ?? []), view]);
    const hostUnit = unit.principal ? findUnit(model, unit.principal) : unit;
    const machine = hostUnit?.machine === undefined ? undefined : model.machines[hostUnit.machine];
    const doc: Record<string, unknown> = { 'workload-status': view.workload, 'juju-status': view.agent };
    if (leaders.get(appName) === unit.name) doc.leader = true;
    if (!unit.principal) doc.machine = unit.machine;
    if (machine && now >= machineTimes(input, machine, cache).startedAt)
      doc['public-address'] = addressOf(model, machine);
    const ports = charms.openPorts(unit, now);
    if (ports) doc['open-ports'] = ports;
    const subs = (subordinateUnitsOf.get(unit.name) ?? []).sort((a, b) => a.name.localeCompare(b.name));
    if (subs.length > 0) doc.subordinates = Object.fromEntries(subs.map((s) => [s.name, unitDocument(s)]));
    return doc;
  };
  const principalUnits = new Map<string, Record<string, unknown>>();
  for (const app of Object.values(model.applications).sort((a, b) => a.name.localeCompare(b.name))) {
    if (app.subordinate) continue;
    const units = Object.values(app.units).sort((a, b) => a.name.localeCompare(b.name));
    principalUnits.set(app.name, Object.fromEntries(units.map((u) => [u.name, unitDocument(u)])));
  }
  for (const app of Object.values(model.applications).sort((a, b) => a.name.localeCompare(b.name))) {
    const base = baseOf(app.series);
    const rev = charmRevision(app.charmName);
    const local =
      app.charmUrl.startsWith('.') || app.charmUrl.startsWith('/') || app.charmUrl.startsWith('local:');
    const doc: Record<string, unknown> = {};
    if (flavour === '3') {
      doc.charm = local ? `local:${app.charmName}-0` : app.charmName;
      doc.base = { name: 'ubuntu', channel: base.channel };
      doc['charm-origin'] = local ? 'local' : 'charmhub';
    } else {
      doc.charm = app.charmUrl.startsWith('cs:')
        ? `${app.charmUrl.replace(/-\d+$/, '')}-${rev}`
        : app.charmName;
      doc.series = base.series;
      doc.os = 'ubuntu';
      doc['charm-origin'] = app.charmUrl.startsWith('cs:') ? 'charmstore' : local ? 'local' : 'charmhub';
    }
    doc['charm-name'] = app.charmName;
    doc['charm-rev'] = local ? 0 : rev;
    if (!local) doc['charm-channel'] = app.channel ?? 'stable';
    doc.exposed = app.exposed;
    const derived = deriveApplicationStatus(viewsByApp.get(app.name) ?? [], app.createdAt);
    // the leader's own message stands unless a unit is in error or lost (Juju shows those)
    const message = ['error', 'unknown'].includes(derived.current)
      ? undefined
      : charms.applicationMessage(app, derived.current, now);
    doc['application-status'] = message ? { ...derived, message } : derived;
    const relations = relationsOf(model, app, flavour);
    if (Object.keys(relations).length > 0) doc.relations = relations;
    if (app.subordinate) {
      const principals = model.relations
        .filter(
          (pair) => pair.some((ep) => ep.split(':')[0] === app.name) && isContainerRelation(model, pair),
        )
        .map((pair) => pair.map((ep) => ep.split(':')[0]!).find((name) => name !== app.name)!);
      // Go's omitempty: a subordinate nothing relates to has no subordinate-to at all.
      if (principals.length > 0) doc['subordinate-to'] = [...new Set(principals)].sort();
    } else if (Object.keys(app.units).length > 0) {
      doc.units = principalUnits.get(app.name);
    }
    applications[app.name] = doc;
  }
  return {
    model: {
      name: model.name,
      type: 'iaas',
      controller: controller.name,
      cloud: model.cloud,
      region: model.region,
      version,
      'model-status': statusValue('available', model.createdAt),
      sla: 'unsupported',
    },
    machines: Object.fromEntries(machines.map((m) => [m.id, machineDocument(input, m, cache)])),
    applications,
    storage: {},
    controller: { timestamp: formatSince(now).split(' ')[3] },
  };
}
