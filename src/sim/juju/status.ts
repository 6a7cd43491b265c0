import { boolFlag, parseArgs, stringFlag } from '../args.js';
import { renderStatusDocument } from '../lifecycle.js';
import { readSimState } from '../state.js';
import { renderTabularStatus } from '../tabular.js';
import { stringify, type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';

export const status: Command = async (ctx, args) => {
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
