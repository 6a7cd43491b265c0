import { boolFlag, parseArgs, type ParsedArgs } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { updateSimState } from '../state.js';
import { OWNER, type Command, promptFlags, confirmed, type SimContext } from './context.js';
import { removeModelFacts } from './lxd-facts.js';

export const destroyController: Command = async (ctx, args) => {
  const parsed = parseArgs(args, {
    kinds: {
      ...promptFlags(ctx),
      'destroy-all-models': 'bool',
      'destroy-storage': 'bool',
      'release-storage': 'bool',
      force: 'bool',
      'no-wait': 'bool',
      'model-timeout': 'value',
    },
    aliases: { y: 'yes' },
  });
  await removeController(ctx, parsed, false);
};

export const killController: Command = async (ctx, args) => {
  const parsed = parseArgs(args, {
    kinds: { ...promptFlags(ctx), timeout: 'value' },
    aliases: { y: 'yes', t: 'timeout' },
  });
  await removeController(ctx, parsed, true);
};

async function removeController(ctx: SimContext, parsed: ParsedArgs, kill: boolean): Promise<void> {
  const [name] = parsed.positional;
  if (!name) throw new SimCommandFailure('no controller specified', 2);
  await updateSimState(ctx.dir, (state) => {
    const controller = state.controllers[name];
    if (!controller) throw new SimCommandFailure(`controller ${name} not found`);
    const live = Object.keys(controller.models).filter(
      (m) =>
        m !== 'controller' &&
        Object.keys(controller.models[m]!.applications).length +
          Object.keys(controller.models[m]!.machines).length >
          0,
    );
    if (!kill && live.length > 0 && !boolFlag(parsed, 'destroy-all-models')) {
      throw new SimCommandFailure(
        `cannot destroy controller "${name}"\n\nThe controller has live models. If you want\nto destroy all models in the controller,\nrun this command again with the --destroy-all-models\noption.\n\nModels:\n${live.map((m) => `\t${OWNER}/${m}`).join('\n')}`,
      );
    }
    confirmed(ctx, parsed, name, 'controller');
    ctx.io.stderr(
      kill
        ? `Destroying controller "${name}"\nWaiting for resources to be reclaimed\n`
        : 'Destroying controller\nWaiting for model resources to be reclaimed\nAll models reclaimed, cleaning up controller machines\n',
    );
    for (const model of Object.values(controller.models)) removeModelFacts(state, model);
    state.lxd.profiles = state.lxd.profiles.filter(
      (p) => p !== 'juju-controller' || Object.keys(state.controllers).length > 1,
    );
    delete state.controllers[name];
    if (state.currentController === name) delete state.currentController;
  });
}
