import { randomUUID } from 'node:crypto';
import { SimCommandFailure } from '../failure.js';
import type { RenderInput } from '../lifecycle.js';
import type { SimController, SimModel, SimState } from '../state.js';
import { OWNER, type SimContext } from './context.js';

// Which controller and model a command means: `-c`, `-m`, JUJU_CONTROLLER/JUJU_MODEL, else the current ones.

export const NO_CONTROLLERS =
  'No controllers registered.\n\nPlease either create a new controller using "juju bootstrap" or connect to\nanother controller that you have been given access to using "juju register".';
export const NO_MODEL =
  'No model in focus.\n\nPlease use "juju models" to see models available to you.\nYou can set current model by running "juju switch"\nor specify any other model on the command line using the "-m" option.';

export function currentController(state: SimState, ctx: SimContext, explicit?: string): SimController {
  const name = explicit ?? ctx.env.JUJU_CONTROLLER ?? state.currentController;
  if (!name) throw new SimCommandFailure(NO_CONTROLLERS);
  const controller = state.controllers[name];
  if (!controller) throw new SimCommandFailure(`controller ${name} not found`);
  return controller;
}

/** `-m [<controller>:][<user>/]<model>`, else JUJU_MODEL, else the current model. */
export function resolveModel(
  state: SimState,
  ctx: SimContext,
  reference: string | undefined,
): { controller: SimController; model: SimModel } {
  const text = reference ?? ctx.env.JUJU_MODEL;
  let controllerName: string | undefined;
  let modelName: string | undefined;
  if (text) {
    const colon = text.indexOf(':');
    if (colon !== -1) {
      controllerName = text.slice(0, colon) || undefined;
      modelName = text.slice(colon + 1);
    } else modelName = text;
    modelName = modelName.includes('/') ? modelName.slice(modelName.indexOf('/') + 1) : modelName;
  }
  const controller = currentController(state, ctx, controllerName);
  modelName ??= controller.currentModel;
  if (!modelName) throw new SimCommandFailure(NO_MODEL);
  const model = controller.models[modelName];
  if (!model) throw new SimCommandFailure(`model ${controller.name}:${OWNER}/${modelName} not found`);
  return { controller, model };
}

export function newModel(
  name: string,
  cloud: string,
  region: string,
  config: Record<string, string>,
  now: number,
): SimModel {
  return {
    name,
    uuid: randomUUID(),
    owner: OWNER,
    cloud,
    region,
    config,
    createdAt: now,
    machines: {},
    nextMachine: 0,
    applications: {},
    relations: [],
    bundleMachines: {},
  };
}

/** The lifecycle's view of `model` at `now` in this invocation's flavour, speed and faults. */
export function renderInputOf(
  ctx: SimContext,
  controller: SimController,
  model: SimModel,
  now: number,
): RenderInput {
  return {
    controller,
    model,
    flavour: ctx.flavour,
    version: ctx.version,
    now,
    speed: ctx.speed,
    faults: ctx.faults,
  };
}
