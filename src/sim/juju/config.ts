import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { keyValues, parseArgs, stringFlag } from '../args.js';
import { assertSnapCanRead } from '../confinement.js';
import { SimCommandFailure } from '../failure.js';
import { updateSimState } from '../state.js';
import { stringify, type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';

export const config: Command = async (ctx, args) => {
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
      const settings = (await import('../../util/yaml-lib.js')).parse(
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
