import { findResult } from '../compute.js';
import { InstancesFailure, Skip, sleep, type SmokeCheck } from '../registry.js';

// The compute check, part two, the point of the lab: every instance's result appears on its console and
// equals the value computed here. The report lists each instance: task, result, timings, host.

export const computeResults: SmokeCheck = {
  name: 'compute-results',
  group: 'cluster',
  suites: ['full', 'compute'],
  needs: ['compute-boot'],
  blocks: 'the results are not all right (see compute-results)',
  async run({ client, budget, facts, signal }) {
    const { tasks, instances, postedAt } = facts.compute!;
    const ids = instances.map((i) => i.id!);
    const read = () => Promise.all(ids.map((id) => client.getConsoleOutput(id)));
    const outputs = await read();
    if (facts.noDataPlane)
      throw new Skip(
        `${facts.noDataPlane}; boot, ACTIVE and delete were checked, the ${tasks.length} results cannot appear on a console.`,
      );
    const deadline = Date.now() + budget.computeMs;
    for (let texts = outputs; ; texts = await read()) {
      const now = Date.now();
      for (const task of tasks) {
        const instance = instances[task.index]!;
        if (instance.result !== undefined) continue;
        const value = findResult(texts[task.index] ?? '', task.marker);
        if (value === undefined) continue;
        instance.result = value;
        instance.ok = value === task.expected;
        instance.resultMs = now - postedAt[task.index]!;
        if (!instance.ok) instance.error = `printed ${value}, expected ${task.expected}`;
      }
      const wrong = instances.filter((i) => i.result !== undefined && !i.ok);
      if (wrong.length > 0)
        throw new InstancesFailure(
          `wrong results: ${wrong.map((i) => `instance ${i.index} printed ${i.result}, expected ${i.expected}`).join('; ')}.`,
          instances,
        );
      if (instances.every((i) => i.ok)) {
        const slowest = Math.max(...instances.map((i) => i.resultMs ?? 0));
        return {
          detail: `${tasks.length} results verified (${tasks.map((t) => t.expected).join(', ')}), the last ${(slowest / 1000).toFixed(1)} s after its boot request`,
          instances,
        };
      }
      if (Date.now() > deadline) {
        const missing = instances.filter((i) => i.result === undefined);
        for (const instance of missing) instance.error = `no result within ${budget.computeMs / 1000} s`;
        throw new InstancesFailure(
          `no result on the console of ${missing.length === 1 ? 'instance' : 'instances'} ${missing.map((i) => i.index).join(', ')} within ${budget.computeMs / 1000} s; read ${missing.length === 1 ? 'its console log' : 'their console logs'}.`,
          instances,
        );
      }
      await sleep(1000, signal);
    }
  },
};
