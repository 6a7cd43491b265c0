import { boolFlag, keyValues, listFlag, parseArgs, stringFlag } from '../args.js';
import { defaultRegionOf } from '../clouds.js';
import { SimCommandFailure } from '../failure.js';
import { updateSimState } from '../state.js';
import { OWNER, type Command } from './context.js';
import { currentController, newModel } from './lookup.js';
import { addLxdModelFacts } from './lxd-facts.js';

const MODEL_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** add-model's `[cloud|region|cloud/region]` against the clouds the controller knows (Juju's wording). */
function modelCloud(
  controller: { cloud: string; region: string; cloudTypes?: Record<string, unknown> },
  cloudArg: string | undefined,
): { cloud: string; region: string } {
  const known = Object.keys(controller.cloudTypes ?? { [controller.cloud]: 'lxd' });
  const [first, second] = cloudArg?.split('/') ?? [];
  if (first === undefined || (second === undefined && first === controller.region))
    return { cloud: controller.cloud, region: controller.region };
  if (known.includes(first))
    return {
      cloud: first,
      region: second ?? (first === controller.cloud ? controller.region : defaultRegionOf(first)),
    };
  throw new SimCommandFailure(
    `"${cloudArg}" is neither a cloud supported by this controller,\nnor a region in the controller's default cloud "${controller.cloud}".\nThe clouds/regions supported by this controller are:\n\nCloud  Regions\n${known.map((c) => `${c}  ${c === controller.cloud ? controller.region : defaultRegionOf(c)}`).join('\n')}`,
  );
}

export const addModel: Command = async (ctx, args) => {
  const parsed = parseArgs(args, {
    kinds: { controller: 'value', config: 'multi', credential: 'value', owner: 'value', 'no-switch': 'bool' },
    aliases: { c: 'controller' },
  });
  const [name, cloudArg] = parsed.positional;
  if (!name) {
    throw new SimCommandFailure(
      'juju: no model name was passed. See "juju add-model --help".\n\nDid you mean:\n\tjuju add-model <model name>',
      2,
      true,
    );
  }
  if (!MODEL_NAME.test(name)) {
    throw new SimCommandFailure(
      `"${name}" is not a valid name: model names may only contain lowercase letters, digits and hyphens`,
      2,
    );
  }
  const config = keyValues(listFlag(parsed, 'config'), 'config');
  await updateSimState(ctx.dir, (state) => {
    const controller = currentController(state, ctx, stringFlag(parsed, 'controller'));
    if (controller.models[name])
      throw new SimCommandFailure(`failed to create new model: model "${name}" for ${OWNER} already exists`);
    const { cloud, region } = modelCloud(controller, cloudArg);
    const model = newModel(name, cloud, region, { ...controller.modelDefaults, ...config }, ctx.now());
    controller.models[name] = model;
    addLxdModelFacts(state, model);
    if (!boolFlag(parsed, 'no-switch')) {
      controller.currentModel = name;
      state.currentController = controller.name;
    }
    ctx.io.stderr(
      `Added '${name}' model on ${model.cloud}/${model.region} with credential '${model.cloud}' for user '${OWNER}'\n`,
    );
  });
};
