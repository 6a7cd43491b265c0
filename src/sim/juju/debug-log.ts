import { boolFlag, listFlag, parseArgs, stringFlag } from '../args.js';
import { SimCommandFailure } from '../failure.js';
import { unitTimes } from '../lifecycle.js';
import { readSimState, type SimModel } from '../state.js';
import { type Command, spec, type SimContext } from './context.js';
import { renderInputOf, resolveModel } from './lookup.js';

export const debugLog: Command = async (ctx, args) => {
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

const OPERATION = 'juju.worker.uniter.operation';

function debugLogLines(ctx: SimContext, model: SimModel): { at: number; text: string }[] {
  const now = ctx.now();
  // the unit timeline needs no controller facts
  const controller = { name: '', uuid: '', cloud: '', region: '', config: {}, modelDefaults: {}, models: {} };
  const input = renderInputOf(ctx, controller, model, now);
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
      const hookLine = (at: number, name: string, failed: boolean) =>
        failed
          ? push(
              at,
              'ERROR',
              OPERATION,
              `hook "${name}" (via explicit, bespoke hook script) failed: exit status 1`,
            )
          : push(at, 'INFO', OPERATION, `ran "${name}" hook (via explicit, bespoke hook script)`);
      if (failure && hook === 'install') {
        push(
          times.installAt,
          'WARNING',
          `${entity}.install`,
          'E: Unable to locate package (simulated failure)',
        );
        hookLine(times.installAt, 'install', true);
        continue;
      }
      hookLine(times.configureAt, 'install', false);
      if (failure) {
        hookLine(times.configureAt, hook, true);
        continue;
      }
      hookLine(times.readyAt, 'config-changed', false);
      if ((ctx.faults.lostAgents ?? []).includes(unit.name))
        push(times.readyAt, 'WARNING', 'juju.worker.uniter', 'connection to the controller lost (simulated)');
    }
  }
  return lines.sort((a, b) => a.at - b.at);
}
