import { waitActive, type SmokeCheck } from '../registry.js';

// One instance of the lab's image and flavor, booted to ACTIVE (for the console and network checks).

export const instanceBoot: SmokeCheck = {
  name: 'instance-boot',
  group: 'instance',
  suites: ['full'],
  needs: ['image', 'flavor'],
  blocks: 'the instance did not boot (see instance-boot)',
  async run({ client, budget, tag, facts, boot, signal }) {
    const started = Date.now();
    const server = await waitActive(client, await boot(`${tag}-vm`), budget.bootMs, signal);
    facts.server = server;
    const networks = facts.networks;
    return `${server.name} ACTIVE in ${((Date.now() - started) / 1000).toFixed(1)} s on ${server['OS-EXT-SRV-ATTR:host'] ?? 'its host'}, networks: ${typeof networks === 'string' ? networks : 'tenant'}`;
  },
};
