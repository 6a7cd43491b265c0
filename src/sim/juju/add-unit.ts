import { parseArgs, stringFlag } from '../args.js';
import { addUnitsOnNewMachines } from '../deploy.js';
import { SimCommandFailure } from '../failure.js';
import { updateSimState } from '../state.js';
import { type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';
import { syncModelContainers } from './lxd-facts.js';

export const addUnit: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({ 'num-units': 'value', to: 'value', 'attach-storage': 'value' }, { n: 'num-units' }),
  );
  const [appName] = parsed.positional;
  if (!appName) throw new SimCommandFailure('no application specified', 2);
  const count = Number(stringFlag(parsed, 'num-units') ?? '1');
  if (!Number.isInteger(count) || count < 1)
    throw new SimCommandFailure('--num-units must be a positive integer', 2);
  await updateSimState(ctx.dir, (state) => {
    const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
    const app = model.applications[appName];
    if (!app) throw new SimCommandFailure(`application "${appName}" not found`);
    if (app.subordinate)
      throw new SimCommandFailure(`cannot add unit to application "${appName}": application is subordinate`);
    addUnitsOnNewMachines(model, app, count, ctx.now());
    syncModelContainers(state, model);
  });
};
