import type { SmokeCheck } from '../registry.js';

// The image the instances boot: the lab's (or --image's) by name. Without a name, the only active image;
// several are ambiguous (another run's image may not boot here), so the check asks for a name.

export const image: SmokeCheck = {
  name: 'image',
  group: 'image',
  suites: ['quick', 'full', 'compute'],
  needs: ['auth-catalog'],
  blocks: 'no usable image or flavor (see the image and flavor checks)',
  async run({ client, input, facts }) {
    const name = input.imageName;
    const images = await client.listImages(name ? { name } : {});
    const active = images.filter((i) => i.status === 'active');
    if (active.length === 0) {
      if (name && images.length > 0)
        throw new Error(
          `image ${name} is ${images.map((i) => i.status).join(', ')}, not active; upload it again (lxdstack deploy re-runs the configuration).`,
        );
      throw new Error(
        name
          ? `there is no image ${name}; run the post-deploy configuration.`
          : 'there is no active image; upload one.',
      );
    }
    if (!name && active.length > 1)
      throw new Error(
        `${active.length} active images (${active.map((i) => i.name).join(', ')}) and none named; pass --image NAME (a lab names its own).`,
      );
    const chosen = active[0]!;
    facts.imageId = chosen.id;
    return `${chosen.name} (${chosen.id}) active, ${chosen.disk_format ?? '?'}, ${chosen.size ?? '?'} bytes`;
  },
};
