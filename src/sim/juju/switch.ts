import { parseArgs } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { updateSimState, type SimController } from '../state.js';
import { OWNER, type Command } from './context.js';
import { NO_CONTROLLERS } from './lookup.js';

export const switchCommand: Command = async (ctx, args) => {
  const parsed = parseArgs(args, { kinds: {} });
  const [target] = parsed.positional;
  await updateSimState(ctx.dir, (state) => {
    if (state.currentController === undefined) throw new SimCommandFailure(NO_CONTROLLERS);
    const before = `${state.currentController}:${OWNER}/${state.controllers[state.currentController]?.currentModel ?? ''}`;
    if (target === undefined) {
      ctx.io.stdout(`${before}\n`);
      return;
    }
    if (ctx.env.JUJU_MODEL)
      throw new SimCommandFailure(
        `cannot switch when JUJU_MODEL is overriding the model (set to "${ctx.env.JUJU_MODEL}")`,
      );
    const colon = target.indexOf(':');
    let controller: SimController | undefined;
    let model: string | undefined;
    if (colon !== -1) {
      controller = state.controllers[target.slice(0, colon) || state.currentController];
      model = target.slice(colon + 1) || undefined;
    } else if (state.controllers[target]) {
      controller = state.controllers[target];
    } else {
      controller = state.controllers[state.currentController];
      model = target;
    }
    model = model?.includes('/') ? model.slice(model.indexOf('/') + 1) : model;
    if (!controller || (model !== undefined && !controller.models[model])) {
      throw new SimCommandFailure(`"${target}" is not the name of a model or controller`);
    }
    state.currentController = controller.name;
    if (model !== undefined) controller.currentModel = model;
    const after = `${controller.name}:${OWNER}/${controller.currentModel ?? ''}`;
    ctx.io.stderr(after === before ? `${after} (no change)\n` : `${before} -> ${after}\n`);
  });
};
