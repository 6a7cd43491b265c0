import { cloudInitFinishedLine } from '../compute.js';
import { Skip, sleep, type SmokeCheck } from '../registry.js';

// The instance's console shows cloud-init's final line ("Cloud-init v. ... finished at"): its init ran to
// the end. lxdstack's own LXC image prints the same line from its init; the detail quotes what was seen.

export const instanceConsole: SmokeCheck = {
  name: 'instance-console',
  group: 'instance',
  suites: ['full'],
  needs: ['instance-boot'],
  blocks: 'the console showed no finished init (see instance-console)',
  async run({ client, budget, facts, signal }) {
    const id = facts.server!.id;
    const output = await client.getConsoleOutput(id, 200);
    if (facts.noDataPlane)
      throw new Skip(
        `${facts.noDataPlane}; the console API answered (${output.split('\n').length} lines) but cannot show cloud-init.`,
      );
    const deadline = Date.now() + budget.computeMs;
    for (let text = output; ; text = await client.getConsoleOutput(id, 200)) {
      const line = cloudInitFinishedLine(text);
      if (line) return `the console shows "${line.trim()}"`;
      if (Date.now() > deadline)
        throw new Error(
          `cloud-init did not report finishing on the console within ${budget.computeMs / 1000} s; read the console log (openstack console log show).`,
        );
      await sleep(3000, signal);
    }
  },
};
