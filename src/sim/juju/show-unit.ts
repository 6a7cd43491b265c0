import { addressOf, charmWorldOf, findUnit, machineTimes, type RenderInput } from '../lifecycle.js';
import { parseArgs, stringFlag } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { readSimState, type SimUnit } from '../state.js';
import { stringify, type Command, spec } from './context.js';
import { renderInputOf, resolveModel } from './lookup.js';

// `juju show-unit <unit>`: the unit with its relations and the data each side has published
// (`relation-info`), which is where a real deployment shows keystone's endpoints turning https once vault
// issued certificates (charm-behaviour.md §2 "Keystone https switch"). Juju adds each unit's addresses
// (private-address, ingress-address, egress-subnets) to every relation's data.

function unitAddress(input: RenderInput, unit: SimUnit): string | undefined {
  const host = unit.principal ? findUnit(input.model, unit.principal) : unit;
  const machine = host?.machine === undefined ? undefined : input.model.machines[host.machine];
  if (!machine || machineTimes(input, machine).startedAt > input.now) return undefined;
  return addressOf(input.model, machine);
}

/** The show-unit document for `unitName` at `input.now`, or undefined when the model has no such unit. */
export function showUnitDocument(input: RenderInput, unitName: string): Record<string, unknown> | undefined {
  const { model, now } = input;
  const unit = findUnit(model, unitName);
  if (!unit) return undefined;
  const world = charmWorldOf(input);
  const appName = unitName.split('/')[0]!;
  const dataOf = (who: SimUnit, endpoint: string | undefined) => {
    const address = unitAddress(input, who);
    if (!address) return {};
    const published = endpoint ? world.relationData(who, endpoint, now, address) : undefined;
    return {
      ...published,
      'egress-subnets': `${address}/32`,
      'ingress-address': address,
      'private-address': address,
    };
  };
  const relations = model.relations.flatMap((pair, index) =>
    [pair, [pair[1], pair[0]] as const].flatMap(([self, other]) => {
      const [selfApp, selfEndpoint] = self.split(':');
      const [otherApp, otherEndpoint] = other.split(':');
      const remote = model.applications[otherApp ?? ''];
      if (selfApp !== appName || !remote) return [];
      const paired = Object.values(remote.units).filter(
        (u) => u.principal === unit.name || u.name === unit.principal,
      );
      const related = paired.length > 0 ? paired : Object.values(remote.units);
      return [
        {
          'relation-id': index,
          endpoint: selfEndpoint,
          'related-endpoint': otherEndpoint,
          'application-data': {},
          'local-unit': { 'in-scope': true, data: dataOf(unit, selfEndpoint) },
          'related-units': Object.fromEntries(
            related
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((u) => [u.name, { 'in-scope': true, data: dataOf(u, otherEndpoint) }]),
          ),
        },
      ];
    }),
  );
  const address = unitAddress(input, unit);
  const ports = world.openPorts(unit, now);
  return {
    [unitName]: {
      ...(unit.machine !== undefined ? { machine: unit.machine } : { principal: unit.principal }),
      ...(ports ? { 'opened-ports': ports } : {}),
      ...(address ? { 'public-address': address } : {}),
      charm: model.applications[appName]!.charmUrl,
      leader: world.leaderOf(model.applications[appName]!)?.name === unitName,
      life: 'alive',
      'relation-info': relations,
    },
  };
}

/** `juju show-unit <unit>`: the unit and the data each side of its relations published  */
export const showUnit: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({ format: 'value', app: 'bool', endpoint: 'value', 'related-unit': 'value' }),
  );
  const [name] = parsed.positional;
  if (!name) throw new SimCommandFailure('unit name is required', 2);
  const state = await readSimState(ctx.dir);
  const { controller, model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  const doc = showUnitDocument(renderInputOf(ctx, controller, model, ctx.now()), name);
  if (!doc) throw new SimCommandFailure(`unit "${name}" not found`);
  ctx.io.stdout(stringFlag(parsed, 'format') === 'json' ? `${JSON.stringify(doc)}\n` : await stringify(doc));
};
