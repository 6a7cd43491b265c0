import { parseArgs, stringFlag } from '../args.js';
import { formatSince } from '../lifecycle.js';
import { readSimState } from '../state.js';
import { stringify, OWNER, type Command } from './context.js';
import { currentController } from './lookup.js';

export const models: Command = async (ctx, args) => {
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
