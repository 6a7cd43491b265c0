import { LXC_CAVEAT, labVirtType } from '../lab/compute.js';
import type { LabSpec } from '../lab/schema.js';
import type { CheckResult } from './checks.js';

// Doctor's word on how the lab's nova-compute will run instances on this host. Pure: the host facts
// (/dev/kvm, /dev/loop-control) are passed in.

export function computeHostCheck(
  spec: Pick<LabSpec, 'profile' | 'compute'>,
  host: { hasKvm: boolean; hasLoopControl: boolean },
): CheckResult | undefined {
  const virtType = labVirtType(spec, host.hasKvm);
  if (virtType === undefined) return undefined;
  const base = { id: 'compute-virt-type', title: 'nova-compute virt-type' };
  if (virtType === 'kvm' && !host.hasKvm)
    return {
      ...base,
      status: 'fail',
      measured: 'compute.virtType is kvm, but this host has no /dev/kvm',
      fix: 'enable KVM on this host, or set compute.virtType to qemu (emulated, slow) or lxc (containers, testing only)',
    };
  if (virtType === 'lxc')
    return {
      ...base,
      status: host.hasLoopControl ? 'warn' : 'fail',
      measured: `lxc: instances are containers (libvirt-LXC) whose disks are loop-mounted${host.hasLoopControl ? '' : ', but this host has no /dev/loop-control'}. ${LXC_CAVEAT}`,
      fix: host.hasLoopControl
        ? 'for anything but a test lab, set compute.virtType to kvm or qemu'
        : 'load the loop module (modprobe loop), or set compute.virtType to kvm or qemu',
    };
  return {
    ...base,
    status: 'pass',
    measured:
      virtType === 'kvm'
        ? 'kvm (/dev/kvm is here)'
        : `qemu (${host.hasKvm ? 'chosen in compute.virtType' : 'no /dev/kvm'}: instances run emulated, slower)`,
  };
}
