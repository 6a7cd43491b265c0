import { boolFlag, parseArgs, stringFlag } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { instanceIdOf } from '../lifecycle.js';
import { updateSimState } from '../state.js';
import { type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';

export const removeUnit: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({
      'destroy-storage': 'bool',
      force: 'bool',
      'no-wait': 'bool',
      'dry-run': 'bool',
      'no-prompt': 'bool',
    }),
  );
  if (parsed.positional.length === 0) throw new SimCommandFailure('no units specified', 2);
  await updateSimState(ctx.dir, (state) => {
    const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
    for (const name of parsed.positional) {
      const app = model.applications[name.split('/')[0] ?? ''];
      const unit = app?.units[name];
      if (!app || !unit)
        throw new SimCommandFailure(`removing unit ${name} failed: unit "${name}" does not exist`);
      if (app.subordinate)
        throw new SimCommandFailure(
          `removing unit ${name} failed: unit "${name}" is a subordinate, to remove use remove-relation. Note: this will remove all units of "${app.name}"`,
        );
      ctx.io.stdout(`will remove unit ${name}\n`);
      if (boolFlag(parsed, 'dry-run')) continue;
      delete app.units[name];
      for (const sub of Object.values(model.applications)) {
        for (const [subName, subUnit] of Object.entries(sub.units))
          if (subUnit.principal === name) delete sub.units[subName];
      }
      const machine = unit.machine;
      const stillUsed = Object.values(model.applications).some((a) =>
        Object.values(a.units).some((u) => u.machine === machine),
      );
      if (machine !== undefined && !stillUsed) {
        for (const id of Object.keys(model.machines)) {
          if (id === machine || model.machines[id]?.parent === machine) {
            state.lxd.containers = state.lxd.containers.filter((c) => c !== instanceIdOf(model, id));
            delete model.machines[id];
          }
        }
      }
    }
  });
};
