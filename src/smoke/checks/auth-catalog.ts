import type { SmokeCheck } from '../registry.js';

// A token for the project, and a catalog with the four services every other check talks to.

const REQUIRED_SERVICES = ['identity', 'compute', 'image', 'network'] as const;

export const authCatalog: SmokeCheck = {
  name: 'auth-catalog',
  group: 'identity',
  suites: ['quick', 'full', 'compute'],
  needs: [],
  blocks: 'authentication or the catalog failed (see auth-catalog)',
  async run({ client }) {
    const token = await client.authenticate();
    const types = token.catalog.map((e) => e.type);
    const missing = REQUIRED_SERVICES.filter((t) => !types.includes(t));
    if (missing.length > 0)
      throw new Error(
        `the catalog lacks ${missing.join(', ')} (it has ${types.join(', ')}); register those services' endpoints in Keystone.`,
      );
    const urls = await Promise.all(REQUIRED_SERVICES.map(async (t) => `${t}=${await client.endpoint(t)}`));
    return `token for project ${token.projectId}, roles ${token.roles.join(',')}; ${urls.join(' ')}`;
  },
};
