import type { SmokeCheck } from '../registry.js';
import { counted } from '../../util/text.js';
import type { HypervisorType } from '../types.js';

// Nova's hypervisors are up, of the type the lab's profile runs, and as many as its compute units.

/** The types nova may report for the expected one (the qemu driver reports kvm when it has it). */
const ACCEPTED: Record<HypervisorType, readonly string[]> = {
  qemu: ['qemu', 'kvm'],
  lxd: ['lxd'],
  lxc: ['lxc'],
  fake: ['fake'],
};

export const hypervisors: SmokeCheck = {
  name: 'hypervisors',
  group: 'compute',
  suites: ['quick', 'full', 'compute'],
  needs: ['auth-catalog'],
  blocks: 'the hypervisors are not as expected (see hypervisors)',
  async run({ client, input, facts }) {
    const found = await client.listHypervisors();
    if (found.length === 0)
      throw new Error(
        'nova reports no hypervisors; is nova-compute running and mapped to a cell (nova-manage cell_v2 discover_hosts)?',
      );
    const down = found.filter((h) => h.state !== 'up');
    if (down.length > 0)
      throw new Error(
        `down: ${down.map((h) => h.hypervisor_hostname).join(', ')}; check nova-compute there.`,
      );
    const types = [...new Set(found.map((h) => (h.hypervisor_type ?? 'unknown').toLowerCase()))];
    if (types.includes('fake'))
      facts.noDataPlane =
        "the hypervisor is nova's fake driver: instances have no console output and no network";
    if (input.hypervisorType) {
      const wrong = types.filter((t) => !ACCEPTED[input.hypervisorType!].includes(t));
      if (wrong.length > 0)
        throw new Error(
          `hypervisor type ${wrong.join(', ')} where ${input.hypervisorType} was expected; check nova-compute's virt driver configuration.`,
        );
    }
    if (input.computeCount > found.length)
      throw new Error(
        `${counted(found.length, 'hypervisor')} up, ${input.computeCount} expected; check the missing nova-compute units.`,
      );
    return `${found.length} up, type ${types.join(', ')}`;
  },
};
