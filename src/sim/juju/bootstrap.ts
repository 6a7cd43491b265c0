import { randomUUID } from 'node:crypto';
import { boolFlag, keyValues, listFlag, parseArgs, stringFlag, type FlagSpec } from '../args.js';
import { LOCAL_CLOUD, defaultRegionOf, simClouds } from '../clouds.js';
import { SimCommandFailure } from '../failure.js';
import { instanceIdOf } from '../lifecycle.js';
import { updateSimState, type SimController } from '../state.js';
import type { Command } from './context.js';
import { newModel } from './lookup.js';
import { addLxdModelFacts, syncModelContainers } from './lxd-facts.js';

export const bootstrap: Command = async (ctx, args) => {
  const kinds: FlagSpec['kinds'] = {
    config: 'multi',
    'model-default': 'multi',
    constraints: 'value',
    'bootstrap-constraints': 'value',
    'bootstrap-series': 'value',
    'bootstrap-image': 'value',
    credential: 'value',
    to: 'value',
    'no-switch': 'bool',
    'agent-version': 'value',
    'auto-upgrade': 'bool',
    'keep-broken': 'bool',
    force: 'bool',
    debug: 'bool',
  };
  if (ctx.flavour === '3') Object.assign(kinds, { 'bootstrap-base': 'value', 'add-model': 'value' });
  else Object.assign(kinds, { 'no-gui': 'bool', 'default-model': 'value', 'no-default-model': 'bool' });
  const parsed = parseArgs(args, { kinds, aliases: { d: 'default-model' } });
  if (stringFlag(parsed, 'bootstrap-series') && stringFlag(parsed, 'bootstrap-base')) {
    throw new SimCommandFailure('cannot specify both --bootstrap-series and --bootstrap-base', 2);
  }
  const [cloudArg = LOCAL_CLOUD, nameArg] = parsed.positional;
  const [cloudName = LOCAL_CLOUD, regionArg] = cloudArg.split('/');
  const cloudTypes = simClouds(ctx.env);
  // `lxd` names the local LXD cloud too: an unknown cloud name is tried as a provider name
  const cloud = cloudName === 'lxd' ? LOCAL_CLOUD : cloudName;
  if (cloudTypes[cloud] === undefined) {
    throw new SimCommandFailure(`unknown cloud "${cloudName}", please try "juju update-public-clouds"`);
  }
  const region = regionArg ?? defaultRegionOf(cloud);
  const name = nameArg ?? `${cloud}-${region}`;
  const config = keyValues(listFlag(parsed, 'config'), 'config');
  const modelDefaults = keyValues(listFlag(parsed, 'model-default'), 'model-default');
  await updateSimState(ctx.dir, (state) => {
    if (state.controllers[name]) throw new SimCommandFailure(`controller "${name}" already exists`);
    const now = ctx.now();
    const controllerModel = newModel('controller', cloud, region, {}, now);
    controllerModel.machines['0'] = { id: '0', ordinal: 0, createdAt: now };
    controllerModel.nextMachine = 1;
    const controller: SimController = {
      name,
      uuid: randomUUID(),
      cloud,
      region,
      cloudTypes,
      config,
      modelDefaults,
      models: { controller: controllerModel },
    };
    state.controllers[name] = controller;
    syncModelContainers(state, controllerModel);
    if (cloud === LOCAL_CLOUD && !state.lxd.profiles.includes('juju-controller'))
      state.lxd.profiles.push('juju-controller');
    const initial =
      ctx.flavour === '2.9' && !boolFlag(parsed, 'no-default-model')
        ? (stringFlag(parsed, 'default-model') ?? 'default')
        : stringFlag(parsed, 'add-model');
    if (initial) {
      const model = newModel(initial, cloud, region, { ...modelDefaults }, now);
      controller.models[initial] = model;
      addLxdModelFacts(state, model);
    }
    controller.currentModel = initial ?? 'controller';
    if (!boolFlag(parsed, 'no-switch')) state.currentController = name;
    else state.currentController ??= name;
    const instance = instanceIdOf(controllerModel, '0');
    ctx.io.stderr(
      [
        `Creating Juju controller "${name}" on ${cloud}/${region}`,
        `Looking for packaged Juju agent version ${ctx.version} for amd64`,
        `Launching controller instance(s) on ${cloud}/${region}...`,
        ` - ${instance} (arch=amd64)`,
        'Installing Juju agent on bootstrap instance',
        'Waiting for address',
        'Attempting to connect to 10.0.0.2:22',
        'Connected to 10.0.0.2',
        'Running machine configuration script...',
        'Bootstrap agent now started',
        '',
        `Bootstrap complete, controller "${name}" is now available`,
        'Controller machines are in the "controller" model',
        initial
          ? `Initial model "${initial}" added`
          : '\nNow you can run\n\tjuju add-model <model-name>\nto create a new model to deploy workloads.',
        '',
      ].join('\n'),
    );
  });
};
