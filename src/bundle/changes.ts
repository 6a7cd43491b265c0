// The change list `juju deploy` prints for a bundle into an empty model (juju-spec.md §4.6; verbatim cases
// in shared/reference/bundle-changes.json): charms and applications in natural name order, bundle machines,
// relations, then units placed application by application (an application whose `to:` names another
// waits for it), finally a stable topological sort on what each change requires. Pure.
import {
  formatBase,
  parseBase,
  parseCharmUrl,
  parsePlacement,
  UBUNTU_VERSIONS,
  type JujuFlavour,
} from '../juju/syntax.js';
import { InputError } from '../util/errors.js';
import { isMap, type PlainMap } from './merge.js';
import { bundleApplications, numUnits, placementList, yamlBool } from './shape.js';

interface Change {
  id: number;
  requires: number[];
  describe: () => string[];
}

interface UnitChange extends Change {
  unitName: string;
  baseMachine: string;
  placementDescription: string;
  directive: string;
}

interface Placement {
  requires: number[];
  baseMachine: string;
  placementDescription: string;
  directive: string;
}

/** Juju's naturalsort: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x) && /^\d/.test(y);
    if (nx && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function archOf(constraints: unknown): string {
  const match = /(?:^|\s)arch=(\S+)/.exec(typeof constraints === 'string' ? constraints : '');
  return match ? match[1]! : '';
}

class ChangeSet {
  readonly changes: Change[] = [];
  private machineCounter = 0;
  private readonly containerCounters = new Map<string, number>();

  add<T extends Omit<Change, 'id'>>(change: T): T & Change {
    const withId = Object.assign(change, { id: this.changes.length });
    this.changes.push(withId);
    return withId;
  }

  nextMachine(): string {
    return String(this.machineCounter++);
  }

  nextContainer(machine: string, type: string): string {
    const key = `${machine}/${type}`;
    const n = this.containerCounters.get(key) ?? 0;
    this.containerCounters.set(key, n + 1);
    return `${key}/${n}`;
  }

  /** Juju's toposortFlatten: repeated passes in creation order, taking every change whose requirements are done. */
  sorted(): Change[] {
    const done = new Set<number>();
    const result: Change[] = [];
    while (result.length < this.changes.length) {
      const before = result.length;
      for (const change of this.changes) {
        if (!done.has(change.id) && change.requires.every((r) => done.has(r))) {
          done.add(change.id);
          result.push(change);
        }
      }
      if (result.length === before) throw new Error('bundle changes: sort failed (a placement cycle)');
    }
    return result;
  }
}

interface Flavour {
  juju: JujuFlavour;
  archFromConstraints: boolean;
  defaultSeries: string;
  defaultBase: string;
}

/** The base (3.x) or series (2.9) shown for an application. */
function platformOf(app: PlainMap, charmSeries: string | undefined, f: Flavour): string {
  const series = typeof app.series === 'string' && app.series ? app.series : charmSeries;
  if (f.juju === '2.9') return series ?? f.defaultSeries;
  const base = typeof app.base === 'string' ? parseBase(app.base) : null;
  if (base) return formatBase(base);
  const fromSeries = (s: string | undefined) =>
    s && UBUNTU_VERSIONS[s] ? `ubuntu@${UBUNTU_VERSIONS[s]}/stable` : '';
  return fromSeries(series) || f.defaultBase || fromSeries(f.defaultSeries);
}

/** The charm's name and where Juju says it comes from (Juju 3 cannot parse `cs:`, so it prints it whole). */
function storeLocation(charm: string, juju: JujuFlavour): { name: string; location: string } {
  const url = parseCharmUrl(charm, juju);
  if (typeof url === 'string') return { name: charm, location: '' };
  const where = { ch: 'charm-hub', cs: 'charm-store', local: 'local' }[url.schema];
  return { name: url.name, location: ` from ${where}` };
}

function exposeDescriptions(app: string, endpoints: unknown): string[] {
  if (!isMap(endpoints) || Object.keys(endpoints).length === 0) {
    return [`expose all endpoints of ${app} and allow access from CIDRs 0.0.0.0/0 and ::/0`];
  }
  const groups: { names: string[]; spaces: string[]; cidrs: string[] }[] = [];
  const listOf = (body: unknown, key: string) =>
    isMap(body) && Array.isArray(body[key]) ? body[key].map(String).sort() : [];
  for (const [name, body] of Object.entries(endpoints)) {
    const spaces = listOf(body, 'expose-to-spaces');
    const cidrs = listOf(body, 'expose-to-cidrs');
    const same =
      name !== '' &&
      groups.find(
        (g) => g.names[0] !== '' && g.spaces.join() === spaces.join() && g.cidrs.join() === cidrs.join(),
      );
    if (same) same.names.push(name);
    else groups.push({ names: [name], spaces, cidrs });
  }
  groups.forEach((g) => g.names.sort());
  groups.sort((a, b) => (a.names[0]! < b.names[0]! ? -1 : 1));
  return groups.map((g) => {
    const what =
      g.names[0] === ''
        ? 'expose all endpoints'
        : `override expose settings for endpoint${g.names.length > 1 ? 's' : ''} ${g.names.join(',')}`;
    const parts = [
      g.spaces.length ? `space${g.spaces.length > 1 ? 's' : ''} ${g.spaces.join(',')}` : '',
      g.cidrs.length ? `CIDR${g.cidrs.length > 1 ? 's' : ''} ${g.cidrs.join(',')}` : '',
    ].filter(Boolean);
    return `${what} of ${app} and allow access from ${parts.length ? parts.join(' and ') : 'CIDRs 0.0.0.0/0 and ::/0'}`;
  });
}

function handleApplications(
  applications: PlainMap,
  names: string[],
  kubernetes: boolean,
  f: Flavour,
  cs: ChangeSet,
): Map<string, number> {
  const charmChanges = new Map<string, number>();
  const deployed = new Map<string, number>();
  for (const name of names) {
    const app = applications[name] as PlainMap;
    const charm = String(app.charm ?? '');
    const url = parseCharmUrl(charm, f.juju);
    const platform = platformOf(app, typeof url === 'string' ? undefined : url.series, f);
    const arch = f.archFromConstraints ? archOf(app.constraints) : '';
    const channel = typeof app.channel === 'string' ? app.channel : '';
    const revision = typeof app.revision === 'number' ? app.revision : -1;
    const key = [charm, arch, platform, channel || 'stable', revision].join('\u0000');
    const { name: charmName, location } = storeLocation(charm, f.juju);
    if (!charmChanges.has(key)) {
      const change = cs.add({
        requires: [],
        describe: () => {
          const on = platform ? (f.juju === '3' ? ` for base ${platform}` : ` for series ${platform}`) : '';
          const source =
            revision >= 0 ? ` with revision ${revision}` : channel ? ` from channel ${channel}` : '';
          return [
            `upload charm ${charmName}${location}${on}${source}${arch ? ` with architecture=${arch}` : ''}`,
          ];
        },
      });
      charmChanges.set(key, change.id);
    }
    const units = kubernetes ? numUnits(app) : 0;
    const deploy = cs.add({
      requires: [charmChanges.get(key)!],
      describe: () => {
        const unitInfo = units > 0 ? ` with ${units} unit${units > 1 ? 's' : ''}` : '';
        const using = charmName !== name ? ` using ${charmName}` : '';
        return [
          `deploy application ${name}${location}${unitInfo}${platform ? ` on ${platform}` : ''}${channel ? ` with ${channel}` : ''}${using}`,
        ];
      },
    });
    deployed.set(name, deploy.id);
    const exposedEndpoints = app['exposed-endpoints'];
    if (
      yamlBool(app.expose) === true ||
      (isMap(exposedEndpoints) && Object.keys(exposedEndpoints).length > 0)
    ) {
      cs.add({ requires: [deploy.id], describe: () => exposeDescriptions(name, exposedEndpoints) });
    }
    if (isMap(app.annotations) && Object.keys(app.annotations).length > 0) {
      cs.add({ requires: [deploy.id], describe: () => [`set annotations for ${name}`] });
    }
  }
  return deployed;
}

function handleMachines(machines: PlainMap, cs: ChangeSet): Map<string, { id: number; machine: string }> {
  const added = new Map<string, { id: number; machine: string }>();
  for (const bundleId of Object.keys(machines).sort(naturalCompare)) {
    const machine = cs.nextMachine();
    const suffix = bundleId !== machine ? ` (bundle machine ${bundleId})` : '';
    const change = cs.add({ requires: [], describe: () => [`add new machine ${machine}${suffix}`] });
    added.set(bundleId, { id: change.id, machine });
    const body = machines[bundleId];
    if (isMap(body) && isMap(body.annotations) && Object.keys(body.annotations).length > 0) {
      cs.add({ requires: [change.id], describe: () => [`set annotations for new machine ${machine}`] });
    }
  }
  return added;
}

function handleRelations(relations: unknown, deployed: Map<string, number>, cs: ChangeSet): void {
  if (!Array.isArray(relations)) return;
  for (const relation of relations) {
    if (!Array.isArray(relation) || relation.length !== 2) continue;
    const [a, b] = relation.map(String) as [string, string];
    const requires = [a, b]
      .map((ep) => deployed.get(ep.split(':')[0]!))
      .filter((id): id is number => id !== undefined);
    cs.add({ requires, describe: () => [`add relation ${a} - ${b}`] });
  }
}

function describeUnit(change: UnitChange): string[] {
  const where =
    change.placementDescription || `new machine${change.baseMachine ? ` ${change.baseMachine}` : ''}`;
  return [
    `add unit ${change.unitName} to ${where}${change.directive ? ` to satisfy [${change.directive}]` : ''}`,
  ];
}

class UnitPlacer {
  private readonly unitChanges = new Map<string, UnitChange>();
  private readonly appUnits = new Map<string, UnitChange[]>();
  private readonly unitsWithoutApp = new Map<string, UnitChange[]>();

  constructor(
    private readonly applications: PlainMap,
    private readonly names: string[],
    private readonly deployed: Map<string, number>,
    private readonly machines: Map<string, { id: number; machine: string }>,
    private readonly cs: ChangeSet,
  ) {}

  run(): void {
    for (const name of this.names) {
      const app = this.applications[name] as PlainMap;
      for (let i = 0; i < numUnits(app); i++) {
        const change: UnitChange = this.cs.add({
          requires: [this.deployed.get(name)!],
          unitName: `${name}/${i}`,
          baseMachine: '',
          placementDescription: '',
          directive: '',
          describe: () => describeUnit(change),
        });
        this.unitChanges.set(`${name}/${i}`, change);
        this.appUnits.set(name, [...(this.appUnits.get(name) ?? []), change]);
      }
    }
    const processed = new Set<string>();
    let toDo = [...this.names].sort();
    while (toDo.length > 0) {
      let done = 0;
      for (const name of toDo) {
        const app = this.applications[name] as PlainMap;
        const deps = placementList(app)
          .map((p) => parsePlacement(p))
          .filter((p) => p?.kind === 'application')
          .map((p) => (p as { application: string }).application);
        if (deps.some((d) => !processed.has(d))) continue;
        this.placeApplication(name, app);
        processed.add(name);
        done++;
      }
      toDo = toDo.filter((n) => !processed.has(n));
      if (done === 0) throw new InputError(`cycle in placement directives for: ${toDo.join(', ')}`);
    }
  }

  private placeApplication(name: string, app: PlainMap): void {
    const to = placementList(app);
    let last = to.at(-1) ?? '';
    const lastPlacement = parsePlacement(last);
    // only a `new` machine or a whole application is reused for the units beyond the list
    if (!(
      lastPlacement?.kind === 'new' ||
      (lastPlacement?.kind === 'application' && lastPlacement.unit === undefined)
    ))
      last = '';
    const pending = [...to];
    let previous: UnitChange | undefined;
    for (let i = 0; i < numUnits(app); i++) {
      const directive = pending.length > 0 ? pending.shift()! : last;
      const placement = this.placementFor(name, app, directive);
      const change = this.unitChanges.get(`${name}/${i}`)!;
      change.placementDescription = placement.placementDescription;
      change.baseMachine = placement.baseMachine;
      change.directive = placement.directive;
      change.requires.push(...placement.requires);
      if (previous) change.requires.push(previous.id);
      previous = change;
    }
  }

  private placementFor(name: string, app: PlainMap, directive: string): Placement {
    const none = { requires: [], placementDescription: '', directive: '' };
    if (directive === '') return { ...none, baseMachine: this.cs.nextMachine() };
    const placement = parsePlacement(directive);
    if (!placement) return { ...none, baseMachine: '' };
    if (placement.kind === 'new') return this.newMachine(placement.container);
    if (placement.kind === 'machine') {
      const machine = this.machines.get(placement.machine);
      if (!machine) return { ...none, baseMachine: this.cs.nextMachine() };
      const onMachine: Placement = {
        requires: [machine.id],
        baseMachine: machine.machine,
        placementDescription: `new machine ${machine.machine}`,
        directive: '',
      };
      return placement.container ? this.addContainer(onMachine, placement.container) : onMachine;
    }
    let target: UnitChange | undefined;
    if (placement.unit !== undefined) {
      target = this.unitChanges.get(`${placement.application}/${placement.unit}`);
      if (!target) return this.newMachine(placement.container);
    } else {
      const key = `${name}/${placement.application}`;
      const queue = this.unitsWithoutApp.get(key) ?? [...(this.appUnits.get(placement.application) ?? [])];
      target = queue.shift();
      this.unitsWithoutApp.set(key, queue);
      if (!target) return { ...none, baseMachine: this.cs.nextMachine() };
    }
    const colocated: Placement = {
      requires: [target.id],
      baseMachine: target.baseMachine,
      placementDescription: target.placementDescription,
      directive: '',
    };
    const result = placement.container ? this.addContainer(colocated, placement.container) : colocated;
    return { ...result, directive };
  }

  private newMachine(container: string | undefined): Placement {
    const machine = this.cs.nextMachine();
    const containerId = container ? this.cs.nextContainer(machine, container) : '';
    const change = this.cs.add({
      requires: [],
      describe: () => [
        container
          ? `add ${container} container ${containerId} on new machine ${machine}`
          : `add new machine ${machine}`,
      ],
    });
    return {
      requires: [change.id],
      baseMachine: machine,
      placementDescription: containerId || `new machine ${machine}`,
      directive: '',
    };
  }

  private addContainer(parent: Placement, container: string): Placement {
    const containerId = this.cs.nextContainer(parent.baseMachine, container);
    const change = this.cs.add({
      requires: [...parent.requires],
      describe: () => [`add ${container} container ${containerId} on new machine ${parent.baseMachine}`],
    });
    return {
      requires: [change.id],
      baseMachine: parent.baseMachine,
      placementDescription: containerId,
      directive: '',
    };
  }
}

/**
 * The changes `juju deploy` would print for this (merged, verified) bundle into an empty model, one line
 * each, without the leading `- `. Charm resolution is not done, so revisions and architectures appear
 * only when the bundle states them.
 */
export function bundleChanges(
  bundle: unknown,
  options: {
    juju: JujuFlavour;
    /** Juju's CLI reads `arch=` from constraints for the upload lines; false mimics a call without a parser. */
    archFromConstraints?: boolean;
  },
): string[] {
  if (!isMap(bundle)) return [];
  const { applications } = bundleApplications(bundle, options.juju);
  const names = Object.keys(applications)
    .filter((n) => isMap(applications[n]))
    .sort(naturalCompare);
  const kubernetes = bundle.bundle === 'kubernetes';
  const defaultBase =
    options.juju === '3' && typeof bundle['default-base'] === 'string'
      ? parseBase(bundle['default-base'])
      : null;
  const flavour: Flavour = {
    juju: options.juju,
    archFromConstraints: options.archFromConstraints ?? true,
    defaultSeries: typeof bundle.series === 'string' ? bundle.series : '',
    defaultBase: defaultBase ? formatBase(defaultBase) : '',
  };
  const cs = new ChangeSet();
  const deployed = handleApplications(applications, names, kubernetes, flavour, cs);
  const machines = kubernetes || !isMap(bundle.machines) ? new Map() : handleMachines(bundle.machines, cs);
  handleRelations(bundle.relations, deployed, cs);
  if (!kubernetes) new UnitPlacer(applications, names, deployed, machines, cs).run();
  return cs.sorted().flatMap((change) => change.describe());
}
