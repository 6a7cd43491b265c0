import { errorMessage } from '../../util/errors.js';
import { counted } from '../../util/text.js';
import { sleep, type SmokeCheck } from '../registry.js';

// Everything the suite created is deleted again, also after a failure, and is gone (GET answers 404).

export const cleanup: SmokeCheck = {
  name: 'cleanup',
  group: 'cleanup',
  suites: ['full', 'compute'],
  needs: ['auth-catalog'],
  blocks: 'the clean-up did not finish (see cleanup)',
  last: true,
  async run({ client, created, budget, tag }) {
    // a POST that timed out may still have created its server: find those by the run's name prefix
    for (const server of await client.listServers(`^${tag}-`)) created.servers.add(server.id);
    if (created.servers.size === 0 && created.floatingIps.size === 0) return 'nothing was created';
    const problems: string[] = [];
    await Promise.all(
      [...created.floatingIps].map((id) =>
        client
          .deleteFloatingIp(id)
          .catch((e: unknown) => problems.push(`floating IP ${id}: ${errorMessage(e)}`)),
      ),
    );
    await Promise.all(
      [...created.servers].map((id) =>
        client.deleteServer(id).catch((e: unknown) => problems.push(`instance ${id}: ${errorMessage(e)}`)),
      ),
    );
    const deadline = Date.now() + budget.cleanupMs;
    let remaining = [...created.servers];
    while (remaining.length > 0 && Date.now() < deadline) {
      const still = await Promise.all(
        remaining.map(async (id) => ((await client.getServer(id)) ? id : undefined)),
      );
      remaining = still.filter((id): id is string => id !== undefined);
      if (remaining.length > 0) await sleep(500);
    }
    if (remaining.length > 0)
      problems.push(
        `${remaining.length === 1 ? 'instance' : 'instances'} ${remaining.join(', ')} still ${remaining.length === 1 ? 'exists' : 'exist'} after ${budget.cleanupMs / 1000} s`,
      );
    if (problems.length > 0)
      throw new Error(`clean-up incomplete: ${problems.join('; ')}; delete them by hand.`);
    return `deleted ${counted(created.servers.size, 'instance')} (gone: GET answers 404) and ${counted(created.floatingIps.size, 'floating IP')}`;
  },
};
