import type { SmokeCheck } from '../registry.js';

// The flavor the instances boot with: the lab's (or --flavor's) by name, else the smallest.

export const flavor: SmokeCheck = {
  name: 'flavor',
  group: 'compute',
  suites: ['quick', 'full', 'compute'],
  needs: ['auth-catalog'],
  blocks: 'no usable image or flavor (see the image and flavor checks)',
  async run({ client, input, facts }) {
    const flavors = await client.listFlavors();
    const chosen = input.flavorName
      ? flavors.find((f) => f.name === input.flavorName)
      : [...flavors].sort((a, b) => a.ram - b.ram || a.vcpus - b.vcpus)[0];
    if (!chosen)
      throw new Error(
        input.flavorName
          ? `there is no flavor ${input.flavorName}; run the post-deploy configuration.`
          : 'there are no flavors; create one.',
      );
    facts.flavorId = chosen.id;
    return `${chosen.name}: ${chosen.vcpus} vCPU, ${chosen.ram} MiB, ${chosen.disk} GiB`;
  },
};
