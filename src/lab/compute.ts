import type { LabSpec, VirtType } from './schema.js';
import { PROFILES } from './profiles/index.js';

// How a lab's nova-compute runs instances: the one place that turns the lab's `compute` section and the
// host's /dev/kvm into the charm's virt-type, the hypervisor type nova then reports, and what follows.

/**
 * nova-compute's virt-type: compute.virtType when the lab sets it, else kvm when the host has /dev/kvm,
 * else qemu. Undefined for the nova-lxd profiles, whose nova-compute drives LXD.
 */
export function labVirtType(
  spec: Pick<LabSpec, 'profile' | 'compute'>,
  hostHasKvm: boolean,
): VirtType | undefined {
  if (PROFILES[spec.profile].hypervisorType === 'lxd') return undefined;
  return spec.compute?.virtType ?? (hostHasKvm ? 'kvm' : 'qemu');
}

/** The hypervisor type nova reports for the lab's computes (qemu stands for qemu and kvm). */
export function labHypervisorType(spec: Pick<LabSpec, 'profile' | 'compute'>): 'lxd' | 'qemu' | 'lxc' {
  if (PROFILES[spec.profile].hypervisorType === 'lxd') return 'lxd';
  return spec.compute?.virtType === 'lxc' ? 'lxc' : 'qemu';
}

/** Loop devices passed into each compute container for virtType lxc: Nova loop-mounts every instance's disk. */
export const LXC_LOOP_DEVICES = 8;

/** The nova-compute charm's own words on virt-type (its config.yaml, 2024.1). */
export const LXC_CAVEAT =
  'compute.virtType lxc is for testing only: the nova-compute charm supports only kvm ("Other native libvirt flavors available for testing only: uml, lxc, qemu"), and Nova deprecates its libvirt-LXC driver and warns that it runs instances as the host\'s root without user namespaces.';

/** What plan, doctor and the deploy summary say about the lab's compute, if anything. */
export function computeCaveats(spec: Pick<LabSpec, 'profile' | 'compute'>): string[] {
  return spec.compute?.virtType === 'lxc' ? [LXC_CAVEAT] : [];
}
