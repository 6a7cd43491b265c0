import { Skip, type SmokeCheck } from '../registry.js';

// Neutron's agents are alive; an API-only Neutron has none, and then there is nothing to check.

export const networkAgents: SmokeCheck = {
  name: 'network-agents',
  group: 'network',
  suites: ['quick', 'full'],
  needs: ['auth-catalog'],
  blocks: 'the network agents are not all alive (see network-agents)',
  async run({ client }) {
    const agents = await client.listAgents();
    if (agents.length === 0)
      throw new Skip('Neutron reports no agents (an API-only Neutron), so there is nothing to check.');
    const dead = agents.filter((a) => a.admin_state_up && !a.alive);
    if (dead.length > 0)
      throw new Error(
        `not alive: ${dead.map((a) => `${a.agent_type}@${a.host}`).join(', ')}; restart them and read their logs.`,
      );
    return `${agents.length} alive: ${agents.map((a) => `${a.agent_type}@${a.host}`).join(', ')}`;
  },
};
