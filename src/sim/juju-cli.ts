import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  boolFlag,
  keyValues,
  listFlag,
  parseArgs,
  stringFlag,
  type FlagSpec,
  type ParsedArgs,
} from './args.js';
import { readSimBundle } from './bundle.js';
import { LOCAL_CLOUD, defaultRegionOf, simClouds } from './clouds.js';
import { addUnitsOnNewMachines, applyBundle } from './deploy.js';
import { SimCommandFailure } from './failure.js';
import { formatConstraints } from './constraints.js';
import { readSimFaults, type SimFaults } from './faults.js';
import { runVaultCommand } from './vault/cli.js';
import { showUnitDocument } from './juju/show-unit.js';
import {
  charmWorldOf,
  formatSince,
  instanceIdOf,
  renderStatusDocument,
  unitTimes,
  type RenderInput,
  type SimFlavour,
} from './lifecycle.js';
import {
  assertSnapCanRead,
  confinedOpenError,
  confinementOf,
  snapAccess,
  type Confinement,
} from './confinement.js';
import {
  ActionRefused,
  actionDocument,
  actionParams,
  failedTasksError,
  performCharmAction,
  type ActionTask,
} from './juju/actions.js';
import { renderTabularStatus } from './tabular.js';
import { readSimState, updateSimState, type SimController, type SimModel, type SimState } from './state.js';

// The yaml library is loaded only by the commands that print or read YAML: `juju status --format json`,
// the hot path of every readiness poll, stays fast.
async function stringify(value: unknown): Promise<string> {
  return (await import('../util/yaml-lib.js')).stringify(value);
}

// The simulated `juju` command line: juju-spec.md §4 (argv, stdout/stderr, `ERROR` lines, exit codes)
// in the 2.9 or 3.x flavour, over the state in $LXDSTACK_SIM_DIR.

export interface SimIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** What the user types at a confirmation prompt (undefined: no terminal, so the prompt reads EOF). */
  answer?: string;
}

export interface SimContext {
  dir: string;
  env: NodeJS.ProcessEnv;
  version: string;
  flavour: SimFlavour;
  speed: number;
  faults: SimFaults;
  io: SimIo;
  now: () => number;
  /** Whether juju behaves as the strictly confined 3.x snap when it opens files (confinement.ts). */
  confinement: Confinement;
}

export const DEFAULT_SIM_VERSION = '3.6.1';
/** A whole OpenStack bundle settles in about 120 simulated seconds, so 100 makes it 1-2 real seconds. */
export const DEFAULT_SIM_SPEED = 100;
const OWNER = 'admin';

export async function createSimContext(env: NodeJS.ProcessEnv, io: SimIo): Promise<SimContext> {
  const dir = env.LXDSTACK_SIM_DIR;
  if (!dir)
    throw new SimCommandFailure('LXDSTACK_SIM_DIR is not set: the juju simulator needs a state folder', 1);
  const version = env.LXDSTACK_SIM_JUJU_VERSION || DEFAULT_SIM_VERSION;
  const speed =
    env.LXDSTACK_SIM_SPEED === undefined || env.LXDSTACK_SIM_SPEED === ''
      ? DEFAULT_SIM_SPEED
      : Number(env.LXDSTACK_SIM_SPEED);
  if (!Number.isFinite(speed) || speed < 0)
    throw new SimCommandFailure(`LXDSTACK_SIM_SPEED must be a number >= 0, got "${env.LXDSTACK_SIM_SPEED}"`);
  const flavour = version.startsWith('2.') ? '2.9' : '3';
  return {
    dir,
    env,
    version,
    flavour,
    confinement: confinementOf(env, flavour),
    speed,
    faults: await readSimFaults(dir, env),
    io,
    now: () => Date.now(),
  };
}

const NO_CONTROLLERS =
  'No controllers registered.\n\nPlease either create a new controller using "juju bootstrap" or connect to\nanother controller that you have been given access to using "juju register".';
const NO_MODEL =
  'No model in focus.\n\nPlease use "juju models" to see models available to you.\nYou can set current model by running "juju switch"\nor specify any other model on the command line using the "-m" option.';

function currentController(state: SimState, ctx: SimContext, explicit?: string): SimController {
  const name = explicit ?? ctx.env.JUJU_CONTROLLER ?? state.currentController;
  if (!name) throw new SimCommandFailure(NO_CONTROLLERS);
  const controller = state.controllers[name];
  if (!controller) throw new SimCommandFailure(`controller ${name} not found`);
  return controller;
}

/** `-m [<controller>:][<user>/]<model>`, else JUJU_MODEL, else the current model. */
function resolveModel(
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

const MODEL_FLAG: FlagSpec = { kinds: { model: 'value' }, aliases: { m: 'model' } };

function spec(kinds: FlagSpec['kinds'], aliases: Record<string, string> = {}): FlagSpec {
  return { kinds: { ...MODEL_FLAG.kinds, ...kinds }, aliases: { ...MODEL_FLAG.aliases, ...aliases } };
}

/** The prompt flag differs: `--no-prompt` in 3.x, `-y/--yes` in 2.9. */
function promptFlags(ctx: SimContext): FlagSpec['kinds'] {
  return ctx.flavour === '3' ? { 'no-prompt': 'bool' } : { yes: 'bool' };
}

function confirmed(ctx: SimContext, parsed: ParsedArgs, name: string, what: 'model' | 'controller'): void {
  if (boolFlag(parsed, ctx.flavour === '3' ? 'no-prompt' : 'yes')) return;
  ctx.io.stderr(`\nTo continue, enter the name of the ${what} to be destroyed: `);
  if (ctx.io.answer?.trim() !== name) throw new SimCommandFailure(`${what} destruction: aborted`);
}

function modelUuidHex(model: SimModel): string {
  return model.uuid.replaceAll('-', '').slice(-6);
}

function newModel(
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

/** Only a model on the local LXD cloud puts profiles and containers in this host's LXD. */
function addLxdModelFacts(state: SimState, model: SimModel): void {
  if (model.cloud !== LOCAL_CLOUD) return;
  const profile = `juju-${model.name}`;
  if (!state.lxd.profiles.includes(profile)) state.lxd.profiles.push(profile);
}

function syncModelContainers(state: SimState, model: SimModel): void {
  if (model.cloud !== LOCAL_CLOUD) return;
  for (const machine of Object.values(model.machines)) {
    const name = instanceIdOf(model, machine.id);
    if (!state.lxd.containers.includes(name)) state.lxd.containers.push(name);
  }
}

function removeModelFacts(state: SimState, model: SimModel): void {
  const prefix = `juju-${modelUuidHex(model)}-`;
  state.lxd.containers = state.lxd.containers.filter((c) => !c.startsWith(prefix));
  state.lxd.profiles = state.lxd.profiles.filter((p) => p !== `juju-${model.name}`);
}

type Command = (ctx: SimContext, args: string[]) => Promise<void>;

const version: Command = async (ctx, args) => {
  const parsed = parseArgs(args, { kinds: { all: 'bool', format: 'value' }, aliases: { o: 'output' } });
  const release = ctx.flavour === '3' ? 'genericlinux' : 'ubuntu';
  const text = `${ctx.version}-${release}-amd64`;
  if (stringFlag(parsed, 'format') === 'json') {
    ctx.io.stdout(
      `${JSON.stringify(boolFlag(parsed, 'all') ? { version: text, 'git-commit': '0000000000000000000000000000000000000000', 'git-tree-state': 'clean', compiler: 'gc', 'official-build': 0, 'go-build-tags': '' } : text)}\n`,
    );
    return;
  }
  ctx.io.stdout(`${text}\n`);
};

const controllers: Command = async (ctx, args) => {
  const parsed = parseArgs(args, { kinds: { format: 'value', refresh: 'bool' } });
  const state = await readSimState(ctx.dir);
  const names = Object.keys(state.controllers).sort();
  if (names.length === 0) throw new SimCommandFailure(NO_CONTROLLERS);
  const doc = {
    controllers: Object.fromEntries(
      names.map((name) => {
        const c = state.controllers[name]!;
        return [
          name,
          {
            'current-model': c.currentModel === undefined ? undefined : `${OWNER}/${c.currentModel}`,
            user: OWNER,
            access: 'superuser',
            'recent-server': '10.0.0.2:17070',
            uuid: c.uuid,
            'api-endpoints': ['10.0.0.2:17070'],
            cloud: c.cloud,
            region: c.region,
            'agent-version': ctx.version,
            'model-count': Object.keys(c.models).length,
            'machine-count': Object.values(c.models).reduce((n, m) => n + Object.keys(m.machines).length, 0),
            'controller-machines': { Active: 1, Total: 1 },
          },
        ];
      }),
    ),
    'current-controller': state.currentController,
  };
  ctx.io.stdout(stringFlag(parsed, 'format') === 'json' ? `${JSON.stringify(doc)}\n` : await stringify(doc));
};

const models: Command = async (ctx, args) => {
  const parsed = parseArgs(args, {
    kinds: { format: 'value', controller: 'value', all: 'bool', uuid: 'bool' },
    aliases: { c: 'controller' },
  });
  const state = await readSimState(ctx.dir);
  const controller = currentController(state, ctx, stringFlag(parsed, 'controller'));
  const doc = {
    models: Object.values(controller.models)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((m) => ({
        name: `${OWNER}/${m.name}`,
        'short-name': m.name,
        'model-uuid': m.uuid,
        'model-type': 'iaas',
        'controller-uuid': controller.uuid,
        'controller-name': controller.name,
        'is-controller': m.name === 'controller',
        owner: OWNER,
        cloud: m.cloud,
        region: m.region,
        credential: { name: m.cloud, owner: OWNER, cloud: m.cloud },
        type: 'lxd',
        life: 'alive',
        status: { current: 'available', since: formatSince(m.createdAt) },
        access: 'admin',
        'agent-version': ctx.version,
      })),
    'current-model': controller.currentModel,
  };
  ctx.io.stdout(stringFlag(parsed, 'format') === 'json' ? `${JSON.stringify(doc)}\n` : await stringify(doc));
};

const bootstrap: Command = async (ctx, args) => {
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

const addModel: Command = async (ctx, args) => {
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

const switchCommand: Command = async (ctx, args) => {
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

async function readBundleDocuments(
  ctx: SimContext,
  given: string,
  what: 'bundle' | 'overlay',
): Promise<unknown[]> {
  const path = resolve(given);
  let file = path;
  const access = snapAccess(path, ctx.env.HOME, ctx.confinement);
  if (access === 'denied') throw new SimCommandFailure(confinedOpenError(path, access));
  try {
    // the confined snap's private /tmp holds none of the host's files
    if (access === 'absent') throw new Error('not in the snap’s /tmp');
    if ((await stat(path)).isDirectory()) file = join(path, 'bundle.yaml');
  } catch {
    throw new SimCommandFailure(
      what === 'bundle'
        ? `no charm was found at "${given}"`
        : `cannot deploy bundle: unable to process overlays: "${given}" not found`,
    );
  }
  const text = await readFile(file, 'utf8').catch(() => {
    throw new SimCommandFailure(`cannot deploy bundle: "${file}" not found`);
  });
  const docs = (await import('../util/yaml-lib.js')).parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (const [index, doc] of list.entries()) {
    if (doc.errors.length > 0) {
      throw new SimCommandFailure(
        `cannot deploy bundle: cannot unmarshal bundle contents: unmarshal document ${index}: ${doc.errors[0]!.message.split('\n')[0]} not valid`,
      );
    }
  }
  const plain = list.map((doc) => doc.toJS() as unknown).filter((doc) => doc !== null && doc !== undefined);
  if (plain.length === 0)
    throw new SimCommandFailure('cannot deploy bundle: malformed bundle: bundle is empty not valid');
  return plain;
}

async function loadBundle(ctx: SimContext, parsed: ParsedArgs): Promise<ReturnType<typeof readSimBundle>> {
  const [path] = parsed.positional;
  if (!path) throw new SimCommandFailure('no charm name specified', 2);
  const docs = await readBundleDocuments(ctx, path, 'bundle');
  for (const overlay of listFlag(parsed, 'overlay'))
    docs.push(...(await readBundleDocuments(ctx, overlay, 'overlay')));
  return readSimBundle(docs, ctx.flavour);
}

const deploy: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({
      overlay: 'multi',
      'dry-run': 'bool',
      trust: 'bool',
      force: 'bool',
      'map-machines': 'value',
      channel: 'value',
    }),
  );
  const bundle = await loadBundle(ctx, parsed);
  if (boolFlag(parsed, 'dry-run')) {
    const state = await readSimState(ctx.dir);
    const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
    const copy = structuredClone(model);
    const plan = applyBundle(copy, bundle, ctx.flavour, ctx.now());
    ctx.io.stdout(
      plan.changes.length === 0
        ? 'No changes to apply.\n'
        : `Changes to deploy bundle:\n${plan.changes.map((c) => `- ${c}\n`).join('')}`,
    );
    return;
  }
  await updateSimState(ctx.dir, (state) => {
    const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
    const plan = applyBundle(model, bundle, ctx.flavour, ctx.now());
    syncModelContainers(state, model);
    for (const notice of plan.notices) ctx.io.stderr(`${notice}\n`);
    for (const app of Object.values(bundle.applications)) {
      ctx.io.stderr(
        `Located charm "${app.charm
          .replace(/^(cs|ch):/, '')
          .split('/')
          .pop()}" in ${app.charm.startsWith('cs:') ? 'charm-store' : 'charm-hub'}, channel ${app.channel ?? 'stable'}\n`,
      );
    }
    if (plan.changes.length === 0) {
      ctx.io.stdout('No changes to apply.\n');
      return;
    }
    ctx.io.stdout(`Executing changes:\n${plan.changes.map((c) => `- ${c}\n`).join('')}`);
    ctx.io.stderr('Deploy of bundle completed.\n');
  });
};

const status: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec(
      {
        format: 'value',
        relations: 'bool',
        integrations: 'bool',
        storage: 'bool',
        utc: 'bool',
        color: 'bool',
        'no-color': 'bool',
        watch: 'value',
      },
      { o: 'output' },
    ),
  );
  const state = await readSimState(ctx.dir);
  const { controller, model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  const format = stringFlag(parsed, 'format') ?? 'tabular';
  const doc = renderStatusDocument({
    controller,
    model,
    flavour: ctx.flavour,
    version: ctx.version,
    now: ctx.now(),
    speed: ctx.speed,
    faults: ctx.faults,
  });
  if (format === 'json') {
    for (const flag of ['relations', 'integrations', 'storage']) {
      if (boolFlag(parsed, flag))
        ctx.io.stderr(`provided ${flag} option is always enabled in non tabular formats\n`);
    }
    ctx.io.stdout(`${JSON.stringify(doc)}\n`);
  } else if (format === 'yaml') {
    ctx.io.stdout(await stringify(doc));
  } else if (Object.keys(model.applications).length === 0 && Object.keys(model.machines).length === 0) {
    ctx.io.stderr(`\nModel "${model.name}" is empty.\n`);
  } else {
    ctx.io.stdout(renderTabularStatus(doc));
  }
};

const exportBundle: Command = async (ctx, args) => {
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

const diffBundle: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({
      overlay: 'multi',
      'map-machines': 'value',
      annotations: 'bool',
      series: 'bool',
      base: 'bool',
      channel: 'value',
      arch: 'value',
    }),
  );
  const bundle = await loadBundle(ctx, parsed);
  const state = await readSimState(ctx.dir);
  const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  const applications: Record<string, unknown> = {};
  for (const [name, app] of Object.entries(bundle.applications)) {
    const existing = model.applications[name];
    if (!existing) applications[name] = { missing: 'model' };
    else if (!existing.subordinate && Object.keys(existing.units).length !== app.numUnits) {
      applications[name] = { num_units: { bundle: app.numUnits, model: Object.keys(existing.units).length } };
    }
  }
  for (const name of Object.keys(model.applications))
    if (!bundle.applications[name]) applications[name] = { missing: 'bundle' };
  const key = (pair: readonly string[]) => [...pair].sort().join(' ');
  const inModel = new Set(model.relations.map(key));
  const inBundle = new Set(bundle.relations.map(key));
  const bundleAdditions = bundle.relations.filter((p) => !inModel.has(key(p)));
  const modelAdditions = model.relations.filter((p) => !inBundle.has(key(p)));
  const diff: Record<string, unknown> = {};
  if (Object.keys(applications).length > 0) diff.applications = applications;
  if (bundleAdditions.length + modelAdditions.length > 0) {
    diff.relations = {
      ...(bundleAdditions.length ? { 'bundle-additions': bundleAdditions } : {}),
      ...(modelAdditions.length ? { 'model-additions': modelAdditions } : {}),
    };
  }
  ctx.io.stdout(Object.keys(diff).length === 0 ? '{}\n' : await stringify(diff));
};

const config: Command = async (ctx, args) => {
  const parsed = parseArgs(args, spec({ format: 'value', file: 'value', reset: 'value' }));
  const [appName, ...rest] = parsed.positional;
  if (!appName) throw new SimCommandFailure('no application name specified', 2);
  const sets = rest.filter((r) => r.includes('='));
  const gets = rest.filter((r) => !r.includes('='));
  await updateSimState(ctx.dir, async (state) => {
    const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
    const app = model.applications[appName];
    if (!app) throw new SimCommandFailure(`application "${appName}" not found`);
    const file = stringFlag(parsed, 'file');
    if (file) {
      assertSnapCanRead(file, ctx.env, ctx.confinement);
      const settings = (await import('../util/yaml-lib.js')).parse(
        await readFile(resolve(file), 'utf8'),
      ) as Record<string, Record<string, unknown>>;
      Object.assign(app.options, settings?.[appName] ?? {});
      return;
    }
    if (sets.length > 0 || stringFlag(parsed, 'reset')) {
      Object.assign(app.options, keyValues(sets, 'config'));
      for (const key of (stringFlag(parsed, 'reset') ?? '').split(',').filter(Boolean))
        delete app.options[key];
      return;
    }
    if (gets.length > 0) {
      const key = gets[0]!;
      if (!(key in app.options))
        throw new SimCommandFailure(
          `key "${key}" not found in "${appName}" application config or charm settings.`,
        );
      ctx.io.stdout(`${String(app.options[key])}\n`);
      return;
    }
    const doc = {
      application: app.name,
      charm: app.charmName,
      'application-config': {
        trust: {
          default: false,
          description: 'Does this application have access to trusted credentials',
          source: 'default',
          type: 'bool',
          value: false,
        },
      },
      settings: Object.fromEntries(
        Object.entries(app.options).map(([k, v]) => [
          k,
          {
            value: v,
            type: typeof v === 'number' ? 'int' : typeof v === 'boolean' ? 'boolean' : 'string',
            source: 'user',
          },
        ]),
      ),
    };
    ctx.io.stdout(
      stringFlag(parsed, 'format') === 'json' ? `${JSON.stringify(doc)}\n` : await stringify(doc),
    );
  });
};

/** The next `count` task ids, as juju hands them out (increasing, never reused). */
async function nextTaskIds(ctx: SimContext, count: number): Promise<string[]> {
  return updateSimState(ctx.dir, (state) => {
    const first = (state.lastTaskId ?? 0) + 1;
    state.lastTaskId = first + count - 1;
    return Array.from({ length: count }, (_, i) => String(first + i));
  });
}

function unitOrLeader(model: SimModel, target: string): string {
  const [appName, suffix] = target.split('/');
  const app = model.applications[appName ?? ''];
  if (!app) throw new SimCommandFailure(`application "${appName}" not found`);
  if (suffix === 'leader') {
    const first = Object.keys(app.units).sort()[0];
    if (!first) throw new SimCommandFailure(`could not determine leader for "${appName}"`);
    return first;
  }
  if (!app.units[target]) throw new SimCommandFailure(`unit "${target}" not found`);
  return target;
}

/** The lifecycle's view of `model` at `now` in this invocation's flavour, speed and faults. */
function renderInputOf(
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

/** 3.x `juju run <unit> <action>` and 2.9 `juju run-action <unit> <action> --wait`: the action completes at once. */
const runAction: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({ format: 'value', params: 'value', 'string-args': 'bool', background: 'bool', wait: 'value' }),
  );
  const [target, action, ...pairs] = parsed.positional;
  if (!target || !action) throw new SimCommandFailure('no unit specified', 2);
  const paramsFile = stringFlag(parsed, 'params');
  if (paramsFile) assertSnapCanRead(paramsFile, ctx.env, ctx.confinement);
  const fileText = paramsFile ? await readFile(resolve(paramsFile), 'utf8') : undefined;
  const params = actionParams(fileText && (await import('../util/yaml-lib.js')).parse(fileText), pairs);
  const [id] = await nextTaskIds(ctx, 1);
  const task = await updateSimState(ctx.dir, (state) =>
    runCharmAction(ctx, state, parsed, target, action, params, id!),
  );
  if (ctx.flavour === '2.9' && parsed.flags.wait === undefined) {
    ctx.io.stdout(`Action queued with id: "${id}"\n`);
    return;
  }
  ctx.io.stderr(
    `Running operation 1 with 1 task\n  - task ${id} on unit-${task.unit.replace('/', '-')}\n\nWaiting for task ${id}...\n`,
  );
  const doc = actionDocument(ctx.flavour, [task]);
  ctx.io.stdout(stringFlag(parsed, 'format') === 'json' ? `${JSON.stringify(doc)}\n` : await stringify(doc));
  const failed =
    ctx.flavour === '3' && task.outcome.status !== 'completed'
      ? failedTasksError([{ id: task.id, returnCode: task.outcome.results['return-code'] }])
      : undefined;
  if (failed) throw new SimCommandFailure(failed);
};

function runCharmAction(
  ctx: SimContext,
  state: SimState,
  parsed: ParsedArgs,
  target: string,
  action: string,
  params: Record<string, unknown>,
  id: string,
): ActionTask {
  const { controller, model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  const unitName = unitOrLeader(model, target);
  const app = model.applications[unitName.split('/')[0]!]!;
  const now = ctx.now();
  const world = charmWorldOf(renderInputOf(ctx, controller, model, now));
  try {
    const outcome = performCharmAction(world, app, app.units[unitName]!, action, params, now);
    return { id, unit: unitName, outcome, enqueued: now, completed: now };
  } catch (error) {
    if (error instanceof ActionRefused) throw new SimCommandFailure(error.message);
    throw error;
  }
}

/** 3.x `juju exec` and 2.9 `juju run`: a shell command on units; the simulator echoes it as run. */
const exec: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec(
      {
        format: 'value',
        unit: 'multi',
        machine: 'multi',
        application: 'multi',
        all: 'bool',
        wait: 'value',
        timeout: 'value',
      },
      { u: 'unit' },
    ),
  );
  const argv = [...parsed.positional, ...parsed.rest];
  const command = argv.join(' ');
  // `--unit a,b`: a comma-separated list; given twice, the last one wins (a string flag, not a repeatable one)
  const unitFlag = listFlag(parsed, 'unit').at(-1);
  const result = await updateSimState(ctx.dir, (state) => {
    const { controller, model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
    const units = [
      ...(unitFlag ? unitFlag.split(',').map((u) => unitOrLeader(model, u)) : []),
      ...listFlag(parsed, 'application').flatMap((a) => Object.keys(model.applications[a]?.units ?? {})),
    ];
    if (units.length === 0)
      throw new SimCommandFailure(
        'You must specify a target, either through --all, --machine, --application or --unit',
        2,
      );
    const first = (state.lastTaskId ?? 0) + 1;
    state.lastTaskId = first + units.length - 1;
    const now = ctx.now();
    const world = charmWorldOf(renderInputOf(ctx, controller, model, now));
    return Object.fromEntries(
      units.map((u, i) => {
        const app = model.applications[u.split('/')[0]!]!;
        const ran =
          app.charmName === 'vault'
            ? runVaultCommand(app, app.units[u]!, argv, now, world.factAt(app, 'initialised'))
            : undefined;
        const results = ran
          ? { 'return-code': ran.code, stdout: ran.stdout, ...(ran.stderr ? { stderr: ran.stderr } : {}) }
          : { 'return-code': 0, stdout: `simulated: ${command}\n` };
        return [u, { id: String(first + i), results, status: 'completed', unit: u }];
      }),
    );
  });
  ctx.io.stdout(
    stringFlag(parsed, 'format') === 'json' ? `${JSON.stringify(result)}\n` : await stringify(result),
  );
  const failed = Object.values(result)
    .filter((r) => r.results['return-code'] !== 0)
    .map((r) => ({ id: r.id, returnCode: r.results['return-code'] }));
  const error = ctx.flavour === '3' ? failedTasksError(failed) : undefined;
  if (error) throw new SimCommandFailure(error);
};

const addUnit: Command = async (ctx, args) => {
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

const removeUnit: Command = async (ctx, args) => {
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

const destroyModel: Command = async (ctx, args) => {
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

const destroyController: Command = async (ctx, args) => {
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

const killController: Command = async (ctx, args) => {
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

const debugLog: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec(
      {
        lines: 'value',
        replay: 'bool',
        'no-tail': 'bool',
        tail: 'bool',
        limit: 'value',
        include: 'multi',
        exclude: 'multi',
        'include-module': 'multi',
        level: 'value',
        date: 'bool',
        ms: 'bool',
        utc: 'bool',
        location: 'bool',
        retry: 'bool',
      },
      { n: 'lines', i: 'include', x: 'exclude', l: 'level' },
    ),
  );
  if (boolFlag(parsed, 'tail') && boolFlag(parsed, 'no-tail'))
    throw new SimCommandFailure('setting --tail and --no-tail not valid', 2);
  const state = await readSimState(ctx.dir);
  const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  const includes = listFlag(parsed, 'include').map((e) =>
    e.startsWith('unit-') ? e : `unit-${e.replace('/', '-')}`,
  );
  const lines = debugLogLines(ctx, model).filter(
    (l) => includes.length === 0 || includes.some((e) => l.text.startsWith(`${e}:`)),
  );
  const limit = Number(
    stringFlag(parsed, 'limit') ??
      stringFlag(parsed, 'lines') ??
      (boolFlag(parsed, 'replay') ? Infinity : 10),
  );
  const shown = boolFlag(parsed, 'replay') && parsed.flags.limit === undefined ? lines : lines.slice(-limit);
  ctx.io.stdout(shown.map((l) => `${l.text}\n`).join(''));
  // Real debug-log follows the log until interrupted unless told not to (or given --limit).
  if (!boolFlag(parsed, 'no-tail') && parsed.flags.limit === undefined)
    await new Promise(() => setInterval(() => undefined, 60_000));
};

function debugLogLines(ctx: SimContext, model: SimModel): { at: number; text: string }[] {
  const now = ctx.now();
  const input = {
    controller: { name: '', uuid: '', cloud: '', region: '', config: {}, modelDefaults: {}, models: {} },
    model,
    flavour: ctx.flavour,
    version: ctx.version,
    now,
    speed: ctx.speed,
    faults: ctx.faults,
  };
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  const lines: { at: number; text: string }[] = [];
  for (const app of Object.values(model.applications)) {
    for (const unit of Object.values(app.units)) {
      const entity = `unit-${unit.name.replace('/', '-')}`;
      const times = unitTimes(input, unit);
      const failure = (ctx.faults.unitErrors ?? []).find((f) => f.unit === unit.name);
      const hook = failure?.hook ?? 'install';
      const push = (at: number, level: string, module: string, message: string) => {
        if (at <= now) lines.push({ at, text: `${entity}: ${clock(at)} ${level} ${module} ${message}` });
      };
      push(times.agentStartAt, 'INFO', 'juju.worker.uniter', `unit "${unit.name}" started`);
      if (failure && hook === 'install') {
        push(
          times.installAt,
          'WARNING',
          `${entity}.install`,
          'E: Unable to locate package (simulated failure)',
        );
        push(
          times.installAt,
          'ERROR',
          'juju.worker.uniter.operation',
          `hook "install" (via explicit, bespoke hook script) failed: exit status 1`,
        );
        continue;
      }
      push(
        times.configureAt,
        'INFO',
        'juju.worker.uniter.operation',
        'ran "install" hook (via explicit, bespoke hook script)',
      );
      if (failure) {
        push(
          times.configureAt,
          'ERROR',
          'juju.worker.uniter.operation',
          `hook "${hook}" (via explicit, bespoke hook script) failed: exit status 1`,
        );
        continue;
      }
      push(
        times.readyAt,
        'INFO',
        'juju.worker.uniter.operation',
        'ran "config-changed" hook (via explicit, bespoke hook script)',
      );
      if ((ctx.faults.lostAgents ?? []).includes(unit.name))
        push(times.readyAt, 'WARNING', 'juju.worker.uniter', 'connection to the controller lost (simulated)');
    }
  }
  return lines.sort((a, b) => a.at - b.at);
}

/** `juju show-unit <unit>`: the unit and the data each side of its relations published (juju/show-unit.ts). */
const showUnit: Command = async (ctx, args) => {
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

const COMMANDS: Record<string, Command> = {
  version,
  controllers,
  'list-controllers': controllers,
  models,
  'list-models': models,
  bootstrap,
  'add-model': addModel,
  switch: switchCommand,
  deploy,
  status,
  'export-bundle': exportBundle,
  'diff-bundle': diffBundle,
  config,
  'add-unit': addUnit,
  'remove-unit': removeUnit,
  'destroy-model': destroyModel,
  'destroy-controller': destroyController,
  'kill-controller': killController,
  'debug-log': debugLog,
  'show-unit': showUnit,
};

/** Which function a subcommand name means in this flavour (`run` is an action in 3.x, exec in 2.9). */
function commandFor(ctx: SimContext, name: string): Command | undefined {
  if (name === 'run') return ctx.flavour === '3' ? runAction : exec;
  if (name === 'run-action') return ctx.flavour === '2.9' ? runAction : undefined;
  if (name === 'exec') return exec;
  return COMMANDS[name];
}

async function hangForever(ctx: SimContext): Promise<never> {
  // A child in our process group: after a group kill it must be gone too (tests check its pid).
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
  await writeFile(join(ctx.dir, `hang-${process.pid}.pids`), `${process.pid} ${child.pid}\n`);
  return new Promise<never>(() => setInterval(() => undefined, 60_000));
}

async function applyCommandFaults(ctx: SimContext, name: string): Promise<void> {
  if ((ctx.faults.hang ?? []).some((f) => f.command === name)) await hangForever(ctx);
  const failures = ctx.faults.failOnce ?? [];
  const index = failures.findIndex((f) => f.command === name);
  if (index === -1) return;
  const fault = failures[index]!;
  const key = `failOnce:${name}:${index}`;
  const fire = await updateSimState(ctx.dir, (state) => {
    if (state.spentFaults.includes(key)) return false;
    state.spentFaults.push(key);
    return true;
  });
  if (fire) throw new SimCommandFailure(fault.message ?? 'connection is shut down', fault.exitCode ?? 1);
}

/** Run one simulated juju invocation; returns the exit code. */
export async function runSimJuju(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: SimIo,
): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help') {
      io.stdout('Usage: juju [flags] <command> ...\n(lxdstack juju simulator)\n');
      return 0;
    }
    const ctx = await createSimContext(env, io);
    const command = commandFor(ctx, name);
    if (!command) throw new SimCommandFailure(`unrecognized command: juju ${name}`, 2, true);
    await applyCommandFaults(ctx, name);
    await command(ctx, args);
    return 0;
  } catch (error) {
    if (error instanceof SimCommandFailure) {
      io.stderr(error.bare ? `${error.message}\n` : `ERROR ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`ERROR ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
