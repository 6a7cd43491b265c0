import { probePing } from '../probes.js';
import { Skip, type SmokeCheck } from '../registry.js';
import { unreachableBecause } from './reachability.js';

// The instance answers ICMP on its floating IP.

export const ping: SmokeCheck = {
  name: 'ping',
  group: 'instance',
  suites: ['full'],
  needs: ['instance-boot', 'floating-ip'],
  blocks: 'the instance does not answer ping (see ping)',
  async run(ctx) {
    const why = unreachableBecause(ctx);
    if (why) throw new Skip(`${why}, so ping cannot be tried.`);
    return probePing(ctx.facts.floatingAddress!, ctx.budget.bootMs);
  },
};
