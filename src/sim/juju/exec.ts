import { listFlag, parseArgs, stringFlag } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { readSimState } from '../state.js';
import { stringify, type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';
import { nextTaskIds, unitOrLeader } from './tasks.js';

/** 3.x `juju exec` and 2.9 `juju run`: a shell command on units; the simulator echoes it as run. */
export const exec: Command = async (ctx, args) => {
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
  const command = [...parsed.positional, ...parsed.rest].join(' ');
  const state = await readSimState(ctx.dir);
  const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  const units = [
    ...listFlag(parsed, 'unit').map((u) => unitOrLeader(model, u)),
    ...listFlag(parsed, 'application').flatMap((a) => Object.keys(model.applications[a]?.units ?? {})),
  ];
  if (units.length === 0)
    throw new SimCommandFailure(
      'You must specify a target, either through --all, --machine, --application or --unit',
      2,
    );
  const ids = await nextTaskIds(ctx, units.length);
  const result = Object.fromEntries(
    units.map((u, i) => [
      u,
      {
        id: ids[i],
        results: { 'return-code': 0, stdout: `simulated: ${command}\n` },
        status: 'completed',
        unit: u,
      },
    ]),
  );
  ctx.io.stdout(
    stringFlag(parsed, 'format') === 'json' ? `${JSON.stringify(result)}\n` : await stringify(result),
  );
};
