import type { SimApplication, SimModel, SimUnit } from '../state.js';
import { SIM_VAULT_ROOT_CA } from '../vault/root-ca.js';
import { behaviourOf } from './index.js';
import type {
  CharmBehaviour,
  Check,
  Condition,
  InterfacesCheck,
  OptionRef,
  RelationCheck,
  WorkloadState,
} from './types.js';

// The pure engine behind the charm behaviour tables: from the model (applications, their charm and
// track, options, the relations actually in it, unit counts), the units' lifecycle (when each unit's
// hooks have run) and the facts actions have set, it computes what each unit shows at a given instant.
// Every condition is monotone: it holds until some instant and never again, so "when does this unit
// settle" and "when does this application send its data" are instants, computed once and memoised.

export interface CharmWorldInput {
  model: SimModel;
  /** Simulated seconds per real second; 0 settles everything at once. */
  speed: number;
  /** When the unit's install and config hooks have run (the lifecycle's readyAt). */
  readyAt: (unit: SimUnit) => number;
}

export interface CharmUnitStatus {
  current: WorkloadState;
  message: string;
  since: number;
}

export interface CharmWorld {
  /** The unit's workload status at `now` once its hooks have run, or undefined for a charm without a table. */
  unitStatus(unit: SimUnit, now: number): CharmUnitStatus | undefined;
  /**
   * The message the application's leader sets over its units' derived status (keystone's "Application
   * Ready" / "Some units are not ready"), or undefined: Juju shows the derived status as it is.
   */
  applicationMessage(app: SimApplication, derived: string, now: number): string | undefined;
  /** The ports the unit has opened at `now`, or undefined for a charm that says nothing about them. */
  openPorts(unit: SimUnit, now: number): string[] | undefined;
  /** Whether the unit serves its API over https at `now` (a CA reached it over `certificates`). */
  servesHttps(unit: SimUnit, now: number): boolean;
  /** The data the unit has published on `endpoint` at `now` (its table's `publishes`), if any yet. */
  relationData(
    unit: SimUnit,
    endpoint: string,
    now: number,
    address: string,
  ): Record<string, string> | undefined;
  /** When an application fact (or, given a unit, a unit fact) is set: by an action or by the charm itself. */
  factAt(app: SimApplication, name: string, unit?: SimUnit): number;
  /** The application's leader: its lowest-numbered unit. */
  leaderOf(app: SimApplication): SimUnit | undefined;
  /** The table the application's charm follows at its track, if the simulator has one. */
  behaviour(app: SimApplication): CharmBehaviour | undefined;
}

/** Simulated seconds a unit takes to react to data arriving on a relation (one hook run). */
const HOOK_SEC = 5;
const SEVERITY: Record<WorkloadState, number> = { active: 0, maintenance: 1, waiting: 2, blocked: 3 };

function unitNumber(unit: SimUnit): number {
  return Number(unit.name.split('/')[1]);
}

function sortedUnitsOf(app: SimApplication): SimUnit[] {
  return Object.values(app.units).sort((a, b) => unitNumber(a) - unitNumber(b));
}

function appOf(model: SimModel, unit: SimUnit): SimApplication {
  return model.applications[unit.name.split('/')[0]!]!;
}

function optionNumber(app: SimApplication, ref: OptionRef): number {
  const value = Number(app.options[ref.option]);
  return Number.isFinite(value) && value > 0 ? value : ref.fallback;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** `{opt:NAME|FALLBACK}` → the option's value (or the fallback), `{osds}` → the unit's OSD count. */
function fillMessage(message: string, app: SimApplication, osds: number): string {
  return message
    .replace(/\{opt:([a-z0-9-]+)\|(\d+)\}/g, (_, option: string, fallback: string) =>
      String(optionNumber(app, { option, fallback: Number(fallback) })),
    )
    .replace('{osds}', String(osds));
}

function isStatic(until: number): boolean {
  return until === Infinity || until === -Infinity;
}

export function createCharmWorld(input: CharmWorldInput): CharmWorld {
  const { model, speed } = input;
  const later = (at: number, simSec: number): number =>
    !Number.isFinite(at) || speed <= 0 ? at : at + (simSec * 1000) / speed;
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();
  /** Memoised instant; a cycle (two charms each waiting for the other's data) falls back to `cycle`. */
  const remember = (key: string, cycle: () => number, compute: () => number): number => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (inProgress.has(key)) return cycle();
    inProgress.add(key);
    const value = compute();
    inProgress.delete(key);
    memo.set(key, value);
    return value;
  };

  const tables = new Map<string, CharmBehaviour | undefined>();
  const tableOf = (app: SimApplication): CharmBehaviour | undefined => {
    if (!tables.has(app.name)) tables.set(app.name, behaviourOf(app.charmName, app.channel, app.charmUrl));
    return tables.get(app.name);
  };
  const readyTimes = new Map<string, number>();
  const readyAt = (unit: SimUnit): number => {
    let at = readyTimes.get(unit.name);
    if (at === undefined) readyTimes.set(unit.name, (at = input.readyAt(unit)));
    return at;
  };
  const sortedUnits = new Map<string, SimUnit[]>();
  const unitsOf = (app: SimApplication): SimUnit[] => {
    let units = sortedUnits.get(app.name);
    if (!units) sortedUnits.set(app.name, (units = sortedUnitsOf(app)));
    return units;
  };
  // each relation as seen from both of its ends: app → endpoint → [remote application, remote endpoint]
  const ends = new Map<string, Map<string, [SimApplication, string | undefined][]>>();
  for (const pair of model.relations) {
    for (const [self, other] of [pair, [pair[1], pair[0]] as const]) {
      const [selfApp, selfEp] = self.split(':');
      const [otherApp, otherEp] = other.split(':');
      const remote = model.applications[otherApp ?? ''];
      if (!selfApp || selfEp === undefined || !remote) continue;
      const byEndpoint = ends.get(selfApp) ?? new Map<string, [SimApplication, string | undefined][]>();
      ends.set(selfApp, byEndpoint);
      byEndpoint.set(selfEp, [...(byEndpoint.get(selfEp) ?? []), [remote, otherEp]]);
    }
  }
  const leaderOf = (app: SimApplication): SimUnit | undefined => unitsOf(app)[0];

  /** Units of `remote` on the other side of a relation as `unit` sees it: its principal, its own subordinate, or all. */
  const remoteUnits = (unit: SimUnit, remote: SimApplication): SimUnit[] => {
    if (unit.principal) {
      const principal = remote.units[unit.principal];
      if (principal) return [principal];
    }
    const mine = Object.values(remote.units).filter((u) => u.principal === unit.name);
    return mine.length > 0 ? mine : unitsOf(remote);
  };

  /** The relations of the application on `endpoint`, as [remote app, remote endpoint]. */
  const relationsOn = (app: SimApplication, endpoint: string): [SimApplication, string | undefined][] =>
    ends.get(app.name)?.get(endpoint) ?? [];

  const factAt = (app: SimApplication, name: string, unit?: SimUnit): number =>
    remember(
      `fact:${app.name}:${unit?.name ?? ''}:${name}`,
      () => Infinity,
      () => {
        const stored = (unit ? unit.facts?.[name] : app.facts?.[name]) ?? Infinity;
        const leader = leaderOf(app);
        let automatic = Infinity;
        for (const rule of tableOf(app)?.automaticFacts ?? []) {
          if (!isTrue(app.options[rule.option]) || !leader) continue;
          const sets = unit ? (rule.unitSets ?? []) : rule.sets;
          if (!sets.includes(name)) continue;
          const prerequisites = (rule.after ?? []).map((fact) => factAt(app, fact));
          const applicationSetAt = Math.max(readyAt(leader), ...prerequisites);
          const at = unit ? Math.max(applicationSetAt, readyAt(unit)) : applicationSetAt;
          automatic = Math.min(automatic, later(at, HOOK_SEC));
        }
        return Math.min(stored, automatic);
      },
    );

  /** When the unit has sent its data on `endpoint` (its table's `provides`, else once its hooks ran). */
  const providesAt = (unit: SimUnit, endpoint: string | undefined): number =>
    remember(
      `provides:${unit.name}:${endpoint ?? ''}`,
      () => readyAt(unit),
      () => {
        const app = appOf(model, unit);
        const table = tableOf(app);
        const provision = endpoint === undefined ? undefined : table?.provides?.[endpoint];
        const ready = readyAt(unit);
        if (!table || !provision) return ready;
        const checks = (provision.afterChecks ?? []).map((id) => {
          const check = table.checks.find((c) => c.id === id);
          return check ? clearsAt(unit, table, check) : ready;
        });
        const facts = (provision.afterFacts ?? []).map((fact) => factAt(app, fact));
        return Math.max(ready, ...checks.filter((t) => t !== -Infinity), ...facts);
      },
    );

  /** When data first arrives at `unit` on `endpoint` from any related unit (Infinity: never, or unrelated). */
  const availableAt = (unit: SimUnit, endpoint: string): number =>
    remember(
      `available:${unit.name}:${endpoint}`,
      () => Infinity,
      () => {
        const app = appOf(model, unit);
        // a peer relation is not in the model's relations: its check says when every peer has joined
        const peer = tableOf(app)?.checks.find(
          (c): c is RelationCheck => c.kind === 'relation' && c.endpoint === endpoint && c.peer !== undefined,
        );
        if (peer) return relationState(unit, peer).until;
        let first = Infinity;
        for (const [remote, remoteEndpoint] of relationsOn(app, endpoint)) {
          for (const other of remoteUnits(unit, remote))
            first = Math.min(first, providesAt(other, remoteEndpoint));
        }
        return Math.max(later(first, HOOK_SEC), readyAt(unit));
      },
    );

  const osdsOf = (unit: SimUnit): number => {
    const app = appOf(model, unit);
    const rule = tableOf(app)?.osds;
    if (!rule) return 0;
    const entries = String(app.options[rule.option] ?? rule.default)
      .split(/\s+/)
      .filter(Boolean);
    return entries.filter((e) => e.startsWith('/dev/') || (rule.directories && e.startsWith('/'))).length;
  };

  /** The instant `condition` stops holding for `unit`: -Infinity never held, Infinity holds forever. */
  const holdsUntil = (unit: SimUnit, condition: Condition): number => {
    const app = appOf(model, unit);
    if ('fact' in condition) {
      const at = factAt(app, condition.fact, condition.scope === 'unit' ? unit : undefined);
      return later(at, condition.plusSec ?? 0);
    }
    if ('awaiting' in condition) return later(availableAt(unit, condition.awaiting), condition.plusSec ?? 0);
    if ('related' in condition) return relationsOn(app, condition.related).length > 0 ? Infinity : -Infinity;
    if ('unrelated' in condition)
      return relationsOn(app, condition.unrelated).length === 0 ? Infinity : -Infinity;
    if ('allUnitsRunning' in condition)
      return later(Math.max(...unitsOf(app).map(readyAt)), condition.plusSec ?? 0);
    if ('fewerUnitsThan' in condition) {
      const limit =
        typeof condition.fewerUnitsThan === 'number'
          ? condition.fewerUnitsThan
          : optionNumber(app, condition.fewerUnitsThan);
      return unitsOf(app).length < limit ? Infinity : -Infinity;
    }
    if ('option' in condition) {
      const value = app.options[condition.option] ?? condition.unset;
      return String(value) === String(condition.is) ? Infinity : -Infinity;
    }
    if ('leader' in condition) return leaderOf(app)?.name === unit.name ? Infinity : -Infinity;
    if ('noOsds' in condition) return osdsOf(unit) === 0 ? Infinity : -Infinity;
    if ('osdsBelow' in condition) {
      const target = optionNumber(app, condition.osdsBelow);
      const reports = relationsOn(app, condition.endpoint)
        .flatMap(([remote, remoteEndpoint]) =>
          unitsOf(remote).map((u) => ({ osds: osdsOf(u), at: providesAt(u, remoteEndpoint) })),
        )
        .filter((r) => r.osds > 0 && r.at !== Infinity)
        .sort((a, b) => a.at - b.at);
      let total = 0;
      for (const report of reports) {
        total += report.osds;
        if (total >= target) return later(report.at, HOOK_SEC);
      }
      return Infinity;
    }
    return Math.min(...condition.all.map((c) => holdsUntil(unit, c)));
  };

  /** When a relation check stops complaining; `missing` tells whether it is the missing or incomplete kind. */
  const relationState = (unit: SimUnit, check: RelationCheck): { until: number; missing: boolean } => {
    const app = appOf(model, unit);
    const needs = (check.needs ?? []).map((endpoint) => availableAt(unit, endpoint));
    if (check.peer) {
      const units = unitsOf(app);
      if (units.length < 2) return { until: Infinity, missing: true };
      const all = units.length < check.peer.minUnits ? Infinity : Math.max(...units.map(readyAt));
      return { until: Math.max(later(all, HOOK_SEC), ...needs), missing: false };
    }
    if (relationsOn(app, check.endpoint).length === 0)
      return { until: check.optional ? -Infinity : Infinity, missing: true };
    return { until: Math.max(availableAt(unit, check.endpoint), ...needs), missing: false };
  };

  /** charm-helpers' generic interfaces: per generic name, `missing` (nothing related) or when its data arrives. */
  const interfaceStates = (
    unit: SimUnit,
    check: InterfacesCheck,
  ): { name: string; until: number | 'missing' }[] => {
    const app = appOf(model, unit);
    const isRelated = (endpoint: string) => relationsOn(app, endpoint).length > 0;
    const optional = Object.entries(check.optional ?? {}).filter(([, endpoints]) =>
      endpoints.some(isRelated),
    );
    return [...Object.entries(check.required), ...optional].map(([name, endpoints]) => {
      const related = endpoints.filter(isRelated);
      // any one complete alternative satisfies the generic name
      const until = related.length === 0 ? 'missing' : Math.min(...related.map((e) => availableAt(unit, e)));
      return { name, until };
    });
  };

  const clearsAt = (unit: SimUnit, table: CharmBehaviour, check: Check): number =>
    remember(
      `check:${unit.name}:${check.id}`,
      () => Infinity,
      () => {
        if (check.kind === 'row') return holdsUntil(unit, check.when);
        if (check.kind === 'relation') return relationState(unit, check).until;
        const states = interfaceStates(unit, check);
        return Math.max(-Infinity, ...states.map((s) => (s.until === 'missing' ? Infinity : s.until)));
      },
    );

  /** The message and state one check shows at `now`, or undefined when it does not hold. */
  const checkView = (
    unit: SimUnit,
    table: CharmBehaviour,
    check: Check,
    now: number,
  ): { current: WorkloadState; message: string } | undefined => {
    if (clearsAt(unit, table, check) <= now) return undefined;
    const app = appOf(model, unit);
    if (check.kind === 'row')
      return { current: check.status, message: fillMessage(check.message, app, osdsOf(unit)) };
    if (check.kind === 'relation') {
      const { missing } = relationState(unit, check);
      const name = check.endpoint;
      const chosen =
        (missing ? check.missing : check.incomplete) ??
        (missing
          ? { status: 'blocked' as const, message: `'${name}' missing` }
          : { status: 'waiting' as const, message: `'${name}' incomplete` });
      return { current: chosen.status, message: chosen.message };
    }
    // charmhelpers utils.py:1166-1172 (charm-behaviour.md §0)
    const states = interfaceStates(unit, check);
    const missing = states.filter((s) => s.until === 'missing').map((s) => s.name);
    const incomplete = states.filter((s) => s.until !== 'missing' && s.until > now).map((s) => s.name);
    if (missing.length > 0) {
      const tail = incomplete.length > 0 ? `; incomplete relations: ${incomplete.join(', ')}` : '';
      return { current: 'blocked', message: `Missing relations: ${missing.join(', ')}${tail}` };
    }
    return { current: 'waiting', message: `Incomplete relations: ${incomplete.join(', ')}` };
  };

  const worst = (a: WorkloadState, b: WorkloadState): WorkloadState => (SEVERITY[a] >= SEVERITY[b] ? a : b);

  /** Everything a unit's table says at `now`, before the final message. */
  const composed = (
    unit: SimUnit,
    table: CharmBehaviour,
    now: number,
  ): { current: WorkloadState; message: string } | undefined => {
    const views = table.checks.map((check) => ({ check, view: checkView(unit, table, check, now) }));
    if (table.composition === 'first') return views.find((v) => v.view)?.view;
    const relationViews = views.filter((v) => v.check.kind !== 'row' && v.view).map((v) => v.view!);
    const row = views.find((v) => v.check.kind === 'row' && v.view)?.view;
    const parts = [...relationViews, ...(row ? [row] : [])];
    if (parts.length === 0) return undefined;
    const current = parts.map((p) => p.current).reduce(worst);
    if (table.composition === 'reactive') return { current, message: parts.map((p) => p.message).join(', ') };
    // classic: the charm's own check follows the interfaces' message, "Incomplete relations: " stripped
    const [first, ...rest] = parts;
    const message = [first!.message, ...rest.map((p) => p.message.replace(/^Incomplete relations: /, ''))];
    return { current, message: message.join(', ') };
  };

  const finalMessage = (unit: SimUnit, table: CharmBehaviour): string => {
    const app = appOf(model, unit);
    const units = unitsOf(app);
    const { final } = table;
    let message = final.others;
    if (final.clustered && units.length > 1) message = final.clustered;
    else if (final.leader && units[0]?.name === unit.name) message = final.leader;
    else if (final.second && units[1]?.name === unit.name) message = final.second;
    return fillMessage(message, app, osdsOf(unit));
  };

  const settledAt = (unit: SimUnit, table: CharmBehaviour): number =>
    Math.max(readyAt(unit), ...table.checks.map((check) => clearsAt(unit, table, check)));

  const unitStatus = (unit: SimUnit, now: number): CharmUnitStatus | undefined => {
    const app = appOf(model, unit);
    const table = tableOf(app);
    if (!table) return undefined;
    const ready = readyAt(unit);
    const cleared = table.checks
      .map((check) => clearsAt(unit, table, check))
      .filter((t) => !isStatic(t) && t <= now);
    const since = Math.max(ready, ...cleared);
    const view = composed(unit, table, now);
    if (view) return { ...view, since };
    return { current: 'active', message: finalMessage(unit, table), since: settledAt(unit, table) };
  };

  return {
    unitStatus,
    applicationMessage(app, derived, now) {
      const rule = tableOf(app)?.applicationReady;
      const leader = leaderOf(app);
      if (!rule || !leader || readyAt(leader) > now) return undefined;
      return derived === 'active' ? rule.ready : rule.notReady;
    },
    openPorts(unit, now) {
      const ports = tableOf(appOf(model, unit))?.ports;
      if (!ports || readyAt(unit) > now) return undefined;
      return ports.https && this.servesHttps(unit, now) ? ports.https : ports.http;
    },
    servesHttps(unit, now) {
      return availableAt(unit, 'certificates') <= now;
    },
    relationData(unit, endpoint, now, address) {
      const template = tableOf(appOf(model, unit))?.publishes?.[endpoint];
      if (!template || providesAt(unit, endpoint) > now) return undefined;
      const https = availableAt(unit, 'certificates') <= now;
      const data = Object.fromEntries(
        Object.entries(template).map(([key, value]) => [
          key,
          value.replace('{scheme}', https ? 'https' : 'http').replace('{address}', address),
        ]),
      );
      return https ? { ...data, ca_cert: Buffer.from(SIM_VAULT_ROOT_CA).toString('base64') } : data;
    },
    factAt,
    leaderOf,
    behaviour: tableOf,
  };
}
