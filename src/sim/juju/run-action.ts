import { keyValues, parseArgs, stringFlag } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { formatSince } from '../lifecycle.js';
import { readSimState } from '../state.js';
import { stringify, type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';
import { nextTaskIds, unitOrLeader } from './tasks.js';

/** 3.x `juju run <unit> <action>` and 2.9 `juju run-action <unit> <action> --wait`: the action completes at once. */
export const runAction: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({ format: 'value', params: 'value', 'string-args': 'bool', background: 'bool', wait: 'value' }),
  );
  const [target, action, ...params] = parsed.positional;
  if (!target || !action) throw new SimCommandFailure('no unit specified', 2);
  const state = await readSimState(ctx.dir);
  const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  const unit = unitOrLeader(model, target);
  const [id] = await nextTaskIds(ctx, 1);
  const result = {
    [unit]: {
      id,
      message: '',
      results: { 'return-code': 0, ...keyValues(params, 'params') },
      status: 'completed',
      timing: { completed: formatSince(ctx.now()) },
    },
  };
  if (ctx.flavour === '2.9' && parsed.flags.wait === undefined) {
    ctx.io.stdout(`Action queued with id: "${id}"\n`);
    return;
  }
  ctx.io.stderr(
    `Running operation 1 with 1 task\n  - task ${id} on unit-${unit.replace('/', '-')}\n\nWaiting for task ${id}...\n`,
  );
  ctx.io.stdout(
    stringFlag(parsed, 'format') === 'json' ? `${JSON.stringify(result)}\n` : await stringify(result),
  );
};
