import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, stringFlag, type ParsedArgs } from '../args.js';
import { charmWorldOf } from '../lifecycle.js';
import { assertSnapCanRead } from '../confinement.js';
import { SimCommandFailure } from '../failure.js';
import { updateSimState, type SimState } from '../state.js';
import {
  ActionRefused,
  actionDocument,
  actionParams,
  failedTasksError,
  performCharmAction,
  type ActionTask,
} from './actions.js';
import { stringify, type Command, type SimContext, spec } from './context.js';
import { renderInputOf, resolveModel } from './lookup.js';
import { nextTaskIds, unitOrLeader } from './tasks.js';

/** 3.x `juju run <unit> <action>` and 2.9 `juju run-action <unit> <action> --wait`: the action completes at once. */
export const runAction: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({ format: 'value', params: 'value', 'string-args': 'bool', background: 'bool', wait: 'value' }),
  );
  const [target, action, ...pairs] = parsed.positional;
  if (!target || !action) throw new SimCommandFailure('no unit specified', 2);
  const paramsFile = stringFlag(parsed, 'params');
  if (paramsFile) assertSnapCanRead(paramsFile, ctx.env, ctx.confinement);
  const fileText = paramsFile ? await readFile(resolve(paramsFile), 'utf8') : undefined;
  const params = actionParams(fileText && (await import('../../util/yaml-lib.js')).parse(fileText), pairs);
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
