import { probeSsh } from '../probes.js';
import { Skip, type SmokeCheck } from '../registry.js';
import { unreachableBecause } from './reachability.js';

// The instance's sshd answers on its floating IP (the banner; no key needed).

export const ssh: SmokeCheck = {
  name: 'ssh',
  group: 'instance',
  suites: ['full'],
  needs: ['instance-boot', 'floating-ip'],
  blocks: 'the instance does not answer SSH (see ssh)',
  async run(ctx) {
    const why = unreachableBecause(ctx);
    if (why) throw new Skip(`${why}, so SSH cannot be tried.`);
    return probeSsh(ctx.facts.floatingAddress!, ctx.budget.bootMs);
  },
};
