import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, stringFlag } from '../args.js';
import { formatConstraints } from '../constraints.js';
import { SimCommandFailure } from '../failure.js';
import type { SimFlavour } from '../lifecycle.js';
import { readSimState, type SimModel } from '../state.js';
import { stringify, type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';

export const exportBundle: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({ filename: 'value', 'include-charm-defaults': 'bool', 'include-series': 'bool' }),
  );
  const state = await readSimState(ctx.dir);
  const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  if (Object.keys(model.applications).length === 0)
    throw new SimCommandFailure('nothing to export as there are no applications');
  const yaml = await stringify(exportedBundle(model, ctx.flavour));
  const filename = stringFlag(parsed, 'filename');
  if (filename) {
    await writeFile(resolve(filename), yaml);
    ctx.io.stdout(`Bundle successfully exported to ${filename}\n`);
  } else ctx.io.stdout(yaml);
};

function exportedBundle(model: SimModel, flavour: SimFlavour): Record<string, unknown> {
  const topMachines = Object.values(model.machines).filter((m) => !m.parent);
  const applications: Record<string, unknown> = {};
  for (const app of Object.values(model.applications).sort((a, b) => a.name.localeCompare(b.name))) {
    const units = Object.values(app.units).sort(
      (a, b) => Number(a.name.split('/')[1]) - Number(b.name.split('/')[1]),
    );
    const entry: Record<string, unknown> = { charm: flavour === '3' ? app.charmName : app.charmUrl };
    if (app.channel) entry.channel = app.channel;
    if (app.constraints) entry.constraints = formatConstraints(app.constraints);
    if (!app.subordinate) {
      entry.num_units = units.length;
      entry.to = units.map((u) => {
        const machine = model.machines[u.machine ?? ''];
        return machine?.parent ? `lxd:${machine.parent}` : String(u.machine);
      });
    }
    if (Object.keys(app.options).length > 0) entry.options = app.options;
    if (app.exposed) entry.expose = true;
    applications[app.name] = entry;
  }
  return {
    ...(flavour === '3' ? { 'default-base': 'ubuntu@22.04/stable' } : { series: 'jammy' }),
    applications,
    machines: Object.fromEntries(
      topMachines.map((m) => [m.id, m.constraints ? { constraints: formatConstraints(m.constraints) } : {}]),
    ),
    relations: model.relations.map((pair) => [...pair]),
  };
}
