import type { SmokeCheck } from '../registry.js';

// Every enabled nova service (conductor, scheduler, computes) reports itself up.

export const computeServices: SmokeCheck = {
  name: 'compute-services',
  group: 'compute',
  suites: ['quick', 'full'],
  needs: ['auth-catalog'],
  blocks: 'the compute services are not all up (see compute-services)',
  async run({ client }) {
    const services = await client.listComputeServices();
    const down = services.filter((s) => s.status === 'enabled' && s.state !== 'up');
    if (services.length === 0)
      throw new Error('nova lists no services; check nova-conductor, nova-scheduler and nova-compute.');
    if (down.length > 0)
      throw new Error(
        `down: ${down.map((s) => `${s.binary}@${s.host}`).join(', ')}; start them and check their logs.`,
      );
    return `${services.length} up: ${services.map((s) => `${s.binary}@${s.host}`).join(', ')}`;
  },
};
