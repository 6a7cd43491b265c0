import { isSubordinateCharm } from '../bundle/charms/catalogue.js';
import { charmNameOf, type SimBundle } from './bundle.js';
import { SimCommandFailure } from './failure.js';
import { baseOf, isContainerRelation, type SimFlavour } from './lifecycle.js';
import type { SimApplication, SimMachine, SimModel } from './state.js';

// Apply a bundle to a model the way juju's bundle handler does, creating exactly the bundle's
// applications, machines, units and relations; returns the change lines juju prints
// (juju-spec.md §4.6). Re-deploying applies only the differences.

export interface DeployPlan {
  changes: string[];
  /** Juju's notices on stderr (e.g. the 2.9 lxc→lxd rewrite). */
  notices: string[];
}

function newMachine(
  model: SimModel,
  now: number,
  series: string | undefined,
  parent?: string,
  containerType = 'lxd',
): SimMachine {
  let id: string;
  if (parent === undefined) {
    id = String(model.nextMachine);
    model.nextMachine += 1;
  } else {
    const siblings = Object.values(model.machines).filter((m) => m.parent === parent).length;
    id = `${parent}/${containerType}/${siblings}`;
  }
  const machine: SimMachine = { id, ordinal: Object.keys(model.machines).length, series, createdAt: now };
  if (parent !== undefined) machine.parent = parent;
  model.machines[id] = machine;
  return machine;
}

function seriesText(app: { series?: string }, bundle: SimBundle): string | undefined {
  return app.series ?? bundle.series;
}

export function applyBundle(
  model: SimModel,
  bundle: SimBundle,
  flavour: SimFlavour,
  now: number,
): DeployPlan {
  const changes: string[] = [];
  const notices: string[] = [];
  const mapped = model.bundleMachines;
  const baseText = (series: string | undefined) => {
    const base = baseOf(series);
    return flavour === '3' ? `ubuntu@${base.channel}/stable` : base.series;
  };

  for (const [name, app] of Object.entries(bundle.applications).sort(([a], [b]) => a.localeCompare(b))) {
    if (model.applications[name]) continue;
    const charmName = charmNameOf(app.charm);
    const series = seriesText(app, bundle);
    if (flavour === '3') {
      changes.push(
        `upload charm ${charmName} from charm-hub for base ${baseText(series)} with architecture=amd64`,
      );
      changes.push(
        `deploy application ${name} from charm-hub on ${baseText(series)} with ${app.channel ?? 'stable'}`,
      );
    } else {
      changes.push(`upload charm ${app.charm} for series ${baseText(series)}`);
      changes.push(`deploy application ${name} on ${baseText(series)} using ${app.charm}`);
    }
    const sim: SimApplication = {
      name,
      charmUrl: app.charm,
      charmName,
      channel: app.channel,
      series,
      // As the charm's metadata says; for a charm the catalogue does not know, a unit-less application
      // is taken to be a subordinate, as every unit-less application in the OpenStack bundles is.
      subordinate: isSubordinateCharm(charmName) ?? (app.numUnits === 0 && app.to.length === 0),
      exposed: app.expose,
      options: { ...app.options },
      ...(app.constraints ? { constraints: app.constraints } : {}),
      units: {},
      nextUnit: 0,
      createdAt: now,
    };
    model.applications[name] = sim;
    if (app.expose)
      changes.push(`expose all endpoints of ${name} and allow access from CIDRs 0.0.0.0/0 and ::/0`);
  }

  for (const [bundleId, spec] of Object.entries(bundle.machines).sort(([a], [b]) => Number(a) - Number(b))) {
    if (mapped[bundleId] !== undefined && model.machines[mapped[bundleId]]) continue;
    const machine = newMachine(model, now, spec.series ?? bundle.series);
    if (spec.constraints) machine.constraints = spec.constraints;
    mapped[bundleId] = machine.id;
    changes.push(
      `add new machine ${machine.id}${machine.id === bundleId ? '' : ` (bundle machine ${bundleId})`}`,
    );
  }

  const existingRelations = new Set(model.relations.map((pair) => [...pair].sort().join(' ')));
  for (const pair of bundle.relations) {
    const key = [...pair].sort().join(' ');
    if (existingRelations.has(key)) continue;
    existingRelations.add(key);
    model.relations.push([pair[0], pair[1]]);
    changes.push(`add relation ${pair[0]} - ${pair[1]}`);
  }

  // Units: applications placed on other applications' units wait until those exist.
  const pending = Object.entries(bundle.applications)
    .filter(([name]) => !model.applications[name]!.subordinate)
    .sort(([a], [b]) => a.localeCompare(b));
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    for (let index = 0; index < pending.length; index += 1) {
      const [name, app] = pending[index]!;
      const sim = model.applications[name]!;
      const dependsOn = app.to
        .map((d) => /^(?:[a-z]+:)?([a-z][a-z0-9-]*)(?:\/\d+)?$/.exec(d)?.[1])
        .filter((target): target is string => target !== undefined && target !== 'new' && target !== name);
      if (dependsOn.some((target) => pending.some(([other]) => other === target))) continue;
      const have = Object.keys(sim.units).length;
      const nextIndexPerTarget = new Map<string, number>();
      for (let i = have; i < app.numUnits; i += 1) {
        const machine = placeUnit(
          model,
          mapped,
          name,
          app.to[i],
          flavour,
          now,
          seriesText(app, bundle),
          nextIndexPerTarget,
          notices,
          changes,
        );
        // a machine made for the unit gets the application's constraints, as Juju gives them
        const directive = app.to[i];
        if ((directive === undefined || directive === 'new') && app.constraints)
          machine.constraints = app.constraints;
        const unitName = `${name}/${sim.nextUnit}`;
        sim.nextUnit += 1;
        sim.units[unitName] = { name: unitName, machine: machine.id, createdAt: now };
        changes.push(`add unit ${unitName} to ${machine.parent ? machine.id : `new machine ${machine.id}`}`);
      }
      pending.splice(index, 1);
      index -= 1;
      progress = true;
    }
  }
  if (pending.length > 0) {
    throw new SimCommandFailure(
      `cannot deploy bundle: cycle in placement directives for: ${pending.map(([n]) => n).join(', ')}`,
    );
  }
  attachSubordinates(model, now);
  return { changes, notices };
}

function placeUnit(
  model: SimModel,
  mapped: Record<string, string>,
  app: string,
  directive: string | undefined,
  flavour: SimFlavour,
  now: number,
  series: string | undefined,
  nextIndexPerTarget: Map<string, number>,
  notices: string[],
  changes: string[],
): SimMachine {
  if (directive === undefined || directive === 'new') return newMachine(model, now, series);
  const match = /^(?:([a-z]+):)?(?:([a-z][a-z0-9-]*)(?:\/(\d+))?|(\d+))$/.exec(directive);
  if (!match) throw new SimCommandFailure(`cannot deploy bundle: invalid placement syntax "${directive}"`);
  let [, container] = match;
  const [, , targetApp, targetUnit, machineId] = match;
  if (container === 'lxc' && flavour === '2.9') {
    container = 'lxd';
    const notice =
      'Bundle has one or more containers specified as lxc. lxc containers are deprecated in Juju 2.0. lxd containers will be deployed instead.';
    if (!notices.includes(notice)) notices.push(notice);
  }
  if (container !== undefined && container !== 'lxd' && container !== 'kvm') {
    throw new SimCommandFailure(
      `cannot deploy bundle: cannot create machine for holding ${app} unit: invalid container type "${container}"`,
    );
  }
  let host: SimMachine | undefined;
  if (machineId !== undefined) {
    host = model.machines[mapped[machineId] ?? ''];
  } else if (targetApp === 'new') {
    host = newMachine(model, now, series);
  } else if (targetApp !== undefined) {
    const target = model.applications[targetApp];
    const index = targetUnit === undefined ? (nextIndexPerTarget.get(targetApp) ?? 0) : Number(targetUnit);
    if (targetUnit === undefined) nextIndexPerTarget.set(targetApp, index + 1);
    const unit = target?.units[`${targetApp}/${index}`];
    host = unit?.machine === undefined ? undefined : model.machines[unit.machine];
  }
  if (!host)
    throw new SimCommandFailure(
      `cannot deploy bundle: placement "${directive}" refers to a machine not defined in this bundle`,
    );
  if (container === undefined) return host;
  const hosted = newMachine(model, now, series, host.id, container);
  changes.push(`add ${container} container ${hosted.id} on new machine ${host.id}`);
  return hosted;
}

/** `juju add-unit`: each new unit on a new machine with the application's constraints. */
export function addUnitsOnNewMachines(
  model: SimModel,
  app: SimApplication,
  count: number,
  now: number,
): void {
  for (let i = 0; i < count; i += 1) {
    const machine = newMachine(model, now, app.series);
    if (app.constraints) machine.constraints = app.constraints;
    const name = `${app.name}/${app.nextUnit}`;
    app.nextUnit += 1;
    app.units[name] = { name, machine: machine.id, createdAt: now };
  }
  attachSubordinates(model, now);
}

/** One subordinate unit per principal unit related to the subordinate through a container-scoped relation. */
export function attachSubordinates(model: SimModel, now: number): void {
  for (const sub of Object.values(model.applications)) {
    if (!sub.subordinate) continue;
    const principals = model.relations
      .filter((pair) => pair.some((ep) => ep.split(':')[0] === sub.name) && isContainerRelation(model, pair))
      .map((pair) => pair.map((ep) => ep.split(':')[0]!).find((n) => n !== sub.name)!);
    const hosted = new Set(Object.values(sub.units).map((u) => u.principal));
    for (const principalName of [...new Set(principals)].sort()) {
      const principal = model.applications[principalName];
      for (const unit of Object.values(principal?.units ?? {}).sort((a, b) => a.name.localeCompare(b.name))) {
        if (hosted.has(unit.name)) continue;
        const name = `${sub.name}/${sub.nextUnit}`;
        sub.nextUnit += 1;
        sub.units[name] = { name, principal: unit.name, createdAt: now };
      }
    }
  }
}
