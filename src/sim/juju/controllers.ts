import { parseArgs, stringFlag } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { readSimState } from '../state.js';
import { stringify, OWNER, type Command } from './context.js';
import { NO_CONTROLLERS } from './lookup.js';

export const controllers: Command = async (ctx, args) => {
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
