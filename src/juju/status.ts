// The typed model of `juju status --format=json` (juju-spec.md §3) for both 2.9 and 3.x, and a digest
// per application and machine. Pure: no I/O. Tolerant of absent optional fields and `status-error`
// entries; subordinate units (nested under their principals) and containers (nested under their hosts)
// are flattened so every consumer sees one list.

export interface StatusInfo {
  current?: string;
  message?: string;
  since?: string;
  version?: string;
}

export interface JujuUnit {
  name: string;
  application: string;
  workload: StatusInfo;
  agent: StatusInfo;
  leader: boolean;
  /** Principal units only. */
  machine?: string;
  /** Subordinate units: the principal they ride on. */
  principal?: string;
  publicAddress?: string;
  /** Set when juju could not fetch this unit's status (`status-error`). */
  statusError?: string;
}

export interface JujuMachine {
  id: string;
  /** Containers (`0/lxd/0`) name their host. */
  parent?: string;
  agent: StatusInfo;
  instance: StatusInfo;
  instanceId?: string;
  dnsName?: string;
  addresses: string[];
  /** `ubuntu@22.04` (3.x base) or the series name (2.9). */
  base?: string;
  /** The machine's constraints and what the provider reports, as juju prints them. */
  constraints?: string;
  hardware?: string;
  statusError?: string;
}

export interface JujuRelation {
  endpoint: string;
  relatedApplication: string;
  interface?: string;
  scope?: string;
}

export interface JujuApplication {
  name: string;
  charm: string;
  charmName?: string;
  status: StatusInfo;
  life?: string;
  exposed: boolean;
  subordinate: boolean;
  subordinateTo: string[];
  relations: JujuRelation[];
  /** Names of its units, subordinate units included (found under their principals). */
  units: string[];
  statusError?: string;
}

export interface JujuStatus {
  model: {
    name: string;
    controller?: string;
    cloud?: string;
    version?: string;
    type?: string;
    status?: StatusInfo;
  };
  applications: Record<string, JujuApplication>;
  /** Every unit, subordinates included, by name. */
  units: Record<string, JujuUnit>;
  /** Every machine, containers included, by id. */
  machines: Record<string, JujuMachine>;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function info(value: unknown): StatusInfo {
  const v = obj(value);
  const result: StatusInfo = {};
  for (const key of ['current', 'message', 'since', 'version'] as const) {
    const text = str(v[key]);
    if (text !== undefined) result[key] = text;
  }
  return result;
}

function parseMachine(
  id: string,
  raw: unknown,
  machines: Record<string, JujuMachine>,
  parent?: string,
): void {
  const m = obj(raw);
  const base = obj(m.base);
  const machine: JujuMachine = {
    id,
    agent: info(m['juju-status']),
    instance: info(m['machine-status']),
    instanceId: str(m['instance-id']),
    dnsName: str(m['dns-name']),
    addresses: Array.isArray(m['ip-addresses'])
      ? m['ip-addresses'].filter((a): a is string => typeof a === 'string')
      : [],
    base: str(base.name) ? `${str(base.name)}@${str(base.channel) ?? ''}` : str(m.series),
  };
  if (parent !== undefined) machine.parent = parent;
  const constraints = str(m.constraints);
  if (constraints !== undefined) machine.constraints = constraints;
  const hardware = str(m.hardware);
  if (hardware !== undefined) machine.hardware = hardware;
  const error = str(m['status-error']);
  if (error !== undefined) machine.statusError = error;
  machines[id] = machine;
  for (const [childId, child] of Object.entries(obj(m.containers)))
    parseMachine(childId, child, machines, id);
}

/** Parse a unit and, recursively, its subordinates (listed per application in `subordinatesByApp`). */
function parseUnit(
  name: string,
  raw: unknown,
  units: Record<string, JujuUnit>,
  subordinatesByApp: Map<string, string[]>,
  principal?: string,
): void {
  const u = obj(raw);
  const unit: JujuUnit = {
    name,
    application: applicationOf(name),
    workload: info(u['workload-status']),
    agent: info(u['juju-status']),
    leader: u.leader === true,
  };
  const machine = str(u.machine);
  if (machine !== undefined) unit.machine = machine;
  if (principal !== undefined) unit.principal = principal;
  const address = str(u['public-address']);
  if (address !== undefined) unit.publicAddress = address;
  const error = str(u['status-error']);
  if (error !== undefined) unit.statusError = error;
  units[name] = unit;
  if (principal !== undefined) {
    const list = subordinatesByApp.get(unit.application);
    if (list) list.push(name);
    else subordinatesByApp.set(unit.application, [name]);
  }
  for (const subName in obj(u.subordinates)) {
    parseUnit(subName, (u.subordinates as Json)[subName], units, subordinatesByApp, name);
  }
}

function parseRelations(raw: unknown): JujuRelation[] {
  const relations: JujuRelation[] = [];
  for (const [endpoint, list] of Object.entries(obj(raw))) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      // 2.9: a list of application names; 3.x: objects with related-application, interface, scope.
      if (typeof entry === 'string') relations.push({ endpoint, relatedApplication: entry });
      else {
        const e = obj(entry);
        const related = str(e['related-application']);
        if (related === undefined) continue;
        const relation: JujuRelation = { endpoint, relatedApplication: related };
        const iface = str(e.interface);
        const scope = str(e.scope);
        if (iface !== undefined) relation.interface = iface;
        if (scope !== undefined) relation.scope = scope;
        relations.push(relation);
      }
    }
  }
  return relations;
}

/** `juju status --format=json` output (already JSON-parsed) → typed status. Unknown shapes degrade to empty. */
export function parseStatus(json: unknown): JujuStatus {
  const root = obj(json);
  const model = obj(root.model);
  const machines: Record<string, JujuMachine> = {};
  for (const [id, raw] of Object.entries(obj(root.machines))) parseMachine(id, raw, machines);
  const units: Record<string, JujuUnit> = {};
  const applications: Record<string, JujuApplication> = {};
  const subordinateUnits = new Map<string, string[]>();
  const rawApps = obj(root.applications);
  for (const raw of Object.values(rawApps)) {
    const own = obj(obj(raw).units);
    for (const unitName in own) parseUnit(unitName, own[unitName], units, subordinateUnits);
  }
  for (const [name, raw] of Object.entries(rawApps)) {
    const a = obj(raw);
    const subordinateTo = Array.isArray(a['subordinate-to'])
      ? a['subordinate-to'].filter((s): s is string => typeof s === 'string')
      : [];
    const ownUnits = Object.keys(obj(a.units));
    const app: JujuApplication = {
      name,
      charm: str(a.charm) ?? '',
      status: info(a['application-status']),
      exposed: a.exposed === true,
      subordinate:
        subordinateTo.length > 0 || (a.units === undefined && (subordinateUnits.get(name)?.length ?? 0) > 0),
      subordinateTo,
      relations: parseRelations(a.relations),
      units: [...ownUnits, ...(subordinateUnits.get(name) ?? [])].sort(compareUnitNames),
    };
    const charmName = str(a['charm-name']);
    if (charmName !== undefined) app.charmName = charmName;
    const life = str(a.life);
    if (life !== undefined) app.life = life;
    const error = str(a['status-error']);
    if (error !== undefined) app.statusError = error;
    applications[name] = app;
  }
  return {
    model: {
      name: str(model.name) ?? '',
      controller: str(model.controller),
      cloud: str(model.cloud),
      version: str(model.version),
      type: str(model.type),
      status: info(model['model-status']),
    },
    applications,
    units,
    machines,
  };
}

/** `app/10` after `app/9`. */
export function compareUnitNames(a: string, b: string): number {
  const appA = applicationOf(a);
  const appB = applicationOf(b);
  if (appA !== appB) return appA < appB ? -1 : 1;
  return Number(a.slice(appA.length + 1)) - Number(b.slice(appB.length + 1));
}

/** `keystone/0` → `keystone`. */
function applicationOf(unitName: string): string {
  const slash = unitName.indexOf('/');
  return slash === -1 ? unitName : unitName.slice(0, slash);
}

export interface ApplicationDigest {
  charm: string;
  /** Units present, subordinate units included. */
  units: number;
  /** Units whose agent is idle and workload active. */
  ready: number;
  /** Units whose workload is in error (or whose status could not be read). */
  errors: string[];
  status: string;
  message: string;
  leaders: number;
  subordinate: boolean;
}

export type MachineState = 'pending' | 'started' | 'down' | 'error' | 'stopped' | 'unknown';

export interface MachineDigest {
  state: MachineState;
  address?: string;
  instanceId?: string;
  message?: string;
}

export interface StatusDigest {
  model: string;
  applications: Record<string, ApplicationDigest>;
  machines: Record<string, MachineDigest>;
  units: { total: number; ready: number; errors: number };
}

export function isUnitReady(unit: JujuUnit): boolean {
  return unit.agent.current === 'idle' && unit.workload.current === 'active';
}

function machineState(machine: JujuMachine): MachineState {
  if (machine.statusError !== undefined) return 'unknown';
  const instance = machine.instance.current;
  if (instance === 'provisioning error' || instance === 'error' || machine.agent.current === 'error')
    return 'error';
  const agent = machine.agent.current;
  if (agent === 'started' || agent === 'pending' || agent === 'down' || agent === 'stopped') return agent;
  return 'unknown';
}

/** Per application: units present, ready and in error; per machine: its state. */
export function digestStatus(status: JujuStatus): StatusDigest {
  const applications: Record<string, ApplicationDigest> = {};
  let total = 0;
  let ready = 0;
  let errors = 0;
  for (const app of Object.values(status.applications)) {
    const digest: ApplicationDigest = {
      charm: app.charmName ?? app.charm,
      units: 0,
      ready: 0,
      errors: [],
      status: app.status.current ?? 'unknown',
      message: app.status.message ?? '',
      leaders: 0,
      subordinate: app.subordinate,
    };
    for (const name of app.units) {
      const unit = status.units[name];
      if (!unit) continue;
      digest.units += 1;
      if (isUnitReady(unit)) digest.ready += 1;
      if (unit.workload.current === 'error' || unit.statusError !== undefined) digest.errors.push(name);
      if (unit.leader) digest.leaders += 1;
    }
    total += digest.units;
    ready += digest.ready;
    errors += digest.errors.length;
    applications[app.name] = digest;
  }
  const machines: Record<string, MachineDigest> = {};
  for (const machine of Object.values(status.machines)) {
    const digest: MachineDigest = { state: machineState(machine) };
    const address = machine.dnsName ?? machine.addresses[0];
    if (address !== undefined) digest.address = address;
    if (machine.instanceId !== undefined) digest.instanceId = machine.instanceId;
    const message = machine.statusError ?? machine.agent.message ?? machine.instance.message;
    if (message !== undefined) digest.message = message;
    machines[machine.id] = digest;
  }
  return { model: status.model.name, applications, machines, units: { total, ready, errors } };
}
