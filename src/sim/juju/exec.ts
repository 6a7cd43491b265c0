import { listFlag, parseArgs, stringFlag } from '../args.js';
import { charmWorldOf } from '../lifecycle.js';
import { SimCommandFailure } from '../failure.js';
import { updateSimState } from '../state.js';
import { runVaultCommand } from '../vault/cli.js';
import { failedTasksError } from './actions.js';
import { stringify, type Command, spec } from './context.js';
import { renderInputOf, resolveModel } from './lookup.js';
import { unitOrLeader } from './tasks.js';

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
