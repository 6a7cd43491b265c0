import { SimCommandFailure } from '../failure.js';
import { updateSimState, type SimModel } from '../state.js';
import type { SimContext } from './context.js';

// Task ids and unit targets shared by the action and exec commands.

/** The next `count` task ids, as juju hands them out (increasing, never reused). */
export async function nextTaskIds(ctx: SimContext, count: number): Promise<string[]> {
  return updateSimState(ctx.dir, (state) => {
    const first = (state.lastTaskId ?? 0) + 1;
    state.lastTaskId = first + count - 1;
    return Array.from({ length: count }, (_, i) => String(first + i));
  });
}

export function unitOrLeader(model: SimModel, target: string): string {
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
