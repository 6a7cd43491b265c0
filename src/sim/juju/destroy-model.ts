import { boolFlag, parseArgs } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { updateSimState } from '../state.js';
import { type Command, promptFlags, confirmed } from './context.js';
import { resolveModel } from './lookup.js';
import { removeModelFacts } from './lxd-facts.js';

export const destroyModel: Command = async (ctx, args) => {
  const parsed = parseArgs(args, {
    kinds: {
      ...promptFlags(ctx),
      'destroy-storage': 'bool',
      'release-storage': 'bool',
      force: 'bool',
      'no-wait': 'bool',
      timeout: 'value',
    },
    aliases: { y: 'yes', t: 'timeout' },
  });
  if (boolFlag(parsed, 'no-wait') && !boolFlag(parsed, 'force'))
    throw new SimCommandFailure('--no-wait without --force not valid', 2);
  if (boolFlag(parsed, 'destroy-storage') && boolFlag(parsed, 'release-storage')) {
    throw new SimCommandFailure('--destroy-storage and --release-storage cannot both be specified', 2);
  }
  if (ctx.flavour === '3' && parsed.flags.timeout !== undefined && !boolFlag(parsed, 'force')) {
    throw new SimCommandFailure('--timeout can only be used with --force (dangerous)', 2);
  }
  const [reference] = parsed.positional;
  if (!reference) throw new SimCommandFailure('no model specified', 2);
  await updateSimState(ctx.dir, (state) => {
    const { controller, model } = resolveModel(state, ctx, reference);
    if (model.name === 'controller')
      throw new SimCommandFailure(
        `"${model.name}" is a controller; use 'juju destroy-controller' to destroy it`,
      );
    confirmed(ctx, parsed, model.name, 'model');
    ctx.io.stderr('Destroying model\n');
    const machines = Object.keys(model.machines).length;
    const apps = Object.keys(model.applications).length;
    if (machines + apps > 0)
      ctx.io.stderr(
        `Waiting for model to be removed${machines ? `, ${machines} machine(s)` : ''}${apps ? `, ${apps} application(s)` : ''}...`,
      );
    removeModelFacts(state, model);
    delete controller.models[model.name];
    if (controller.currentModel === model.name) delete controller.currentModel;
    ctx.io.stderr('\nModel destroyed.\n');
  });
};
