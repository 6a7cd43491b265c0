import { computeTask } from '../compute.js';
import { InstancesFailure, waitActive, type SmokeCheck } from '../registry.js';
import type { InstanceResult } from '../types.js';
import { errorMessage } from '../../util/errors.js';

// The compute check, part one: N instances booted at once, each with a computation of its own in its
// cloud-init user-data, all to ACTIVE. N is --instances, else max(3, the lab's compute units).

const DEFAULT_INSTANCES = 3;

export const computeBoot: SmokeCheck = {
  name: 'compute-boot',
  group: 'cluster',
  suites: ['full', 'compute'],
  needs: ['image', 'flavor'],
  blocks: 'the instances did not boot (see compute-boot)',
  async run({ client, input, budget, tag, facts, boot, signal }) {
    const count = input.instanceCount ?? Math.max(DEFAULT_INSTANCES, input.computeCount);
    const tasks = Array.from({ length: count }, (_, index) => computeTask(tag, index));
    const instances: InstanceResult[] = tasks.map((task) => ({
      index: task.index,
      name: `${tag}-compute-${task.index}`,
      task: task.description,
      expected: task.expected,
      ok: false,
    }));
    const postedAt: number[] = [];
    facts.compute = { tasks, instances, postedAt };
    const started = Date.now();
    const settled = await Promise.allSettled(
      tasks.map(async (task) => {
        const instance = instances[task.index]!;
        postedAt[task.index] = Date.now();
        instance.id = await boot(instance.name, task.userData);
        const server = await waitActive(client, instance.id, budget.bootMs, signal);
        instance.bootMs = Date.now() - postedAt[task.index]!;
        const host = server['OS-EXT-SRV-ATTR:host'];
        if (host) instance.host = host;
      }),
    );
    settled.forEach((s, i) => {
      if (s.status === 'rejected') instances[i]!.error = errorMessage(s.reason);
    });
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed.length > 0)
      throw new InstancesFailure(
        `${failed.length} of ${count} instances did not become ACTIVE: ${failed.map((f) => errorMessage(f.reason)).join(' | ')}`,
        instances,
      );
    const hosts = [...new Set(instances.map((i) => i.host ?? '?'))];
    return `${count} instances ACTIVE in ${((Date.now() - started) / 1000).toFixed(1)} s on ${hosts.join(', ')}, each with its own computation in cloud-init`;
  },
};
