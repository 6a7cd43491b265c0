import type { LabSpec } from '../lab/schema.js';
import { PROFILES } from '../lab/profiles/index.js';
import { isHostIn, parseCidr, parseIpv4 } from '../lab/net.js';

// Pure decisions of the post-deploy configuration: names, image format, flavor sizes, the networks'
// shape. The names follow the 2016 spell's steps (ext-net, ubuntu-net, ubuntu-router, ubuntu-keypair).

export const EXTERNAL_NETWORK = 'ext-net';
export const EXTERNAL_SUBNET = 'ext-subnet';
export const TENANT_NETWORK = 'ubuntu-net';
export const TENANT_SUBNET = 'ubuntu-subnet';
export const ROUTER = 'ubuntu-router';
export const KEYPAIR = 'ubuntu-keypair';
/** The physical network the external flat network maps to (the charms' default bridge mapping). */
export const EXTERNAL_PHYSNET = 'physnet1';

export interface FlavorSize {
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
}

/** Nova's classic m1 flavors (RAM MiB, vCPUs, disk GiB). */
export const STANDARD_FLAVORS: readonly FlavorSize[] = [
  { name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1 },
  { name: 'm1.small', ram: 2048, vcpus: 1, disk: 20 },
  { name: 'm1.medium', ram: 4096, vcpus: 2, disk: 40 },
  { name: 'm1.large', ram: 8192, vcpus: 4, disk: 80 },
  { name: 'm1.xlarge', ram: 16384, vcpus: 8, disk: 160 },
];

export interface HostCapacity {
  vcpus: number;
  ramMiB: number;
  diskGiB: number;
}

/** The flavors that fit on one compute host; m1.tiny always, so there is something to boot. */
export function flavorsForHost(host: HostCapacity): FlavorSize[] {
  const fitting = STANDARD_FLAVORS.filter(
    (f) => f.ram <= host.ramMiB && f.vcpus <= host.vcpus && f.disk <= host.diskGiB,
  );
  return fitting.length > 0 ? fitting : [STANDARD_FLAVORS[0]!];
}

/** The largest compute host the cloud reports; absent numbers count as no room. */
export function largestHost(
  hypervisors: readonly { vcpus?: number; memory_mb?: number; local_gb?: number }[],
): HostCapacity | undefined {
  if (hypervisors.length === 0) return undefined;
  return hypervisors.reduce<HostCapacity>(
    (best, h) => ({
      vcpus: Math.max(best.vcpus, h.vcpus ?? 0),
      ramMiB: Math.max(best.ramMiB, h.memory_mb ?? 0),
      diskGiB: Math.max(best.diskGiB, h.local_gb ?? 0),
    }),
    { vcpus: 0, ramMiB: 0, diskGiB: 0 },
  );
}

export interface ImagePlan {
  name: string;
  diskFormat: 'raw' | 'qcow2';
  containerFormat: 'bare';
}

/**
 * The image's Glance name and format: nova-lxd boots root tarballs imported as raw (as the spell did);
 * modern boots qcow2 under kvm and qemu, and a raw ext4 root file system under lxc (libvirt-LXC loop-mounts
 * the whole disk). The name is the one given, else the lab's compute.image.name, else from the series.
 */
export function imagePlan(spec: Pick<LabSpec, 'profile' | 'series' | 'compute'>, name?: string): ImagePlan {
  const chosen = name ?? spec.compute?.image?.name;
  if (PROFILES[spec.profile].hypervisorType === 'lxd')
    return { name: chosen ?? `${spec.series}-lxd`, diskFormat: 'raw', containerFormat: 'bare' };
  if (spec.compute?.virtType === 'lxc')
    return { name: chosen ?? `${spec.series}-lxc`, diskFormat: 'raw', containerFormat: 'bare' };
  return { name: chosen ?? spec.series, diskFormat: 'qcow2', containerFormat: 'bare' };
}

/** The tenant subnet's gateway: the first address of its CIDR. */
export function firstHost(cidr: string): string {
  const [address = ''] = cidr.split('/');
  const octets = address.split('.').map(Number);
  octets[3] = (octets[3] ?? 0) + 1;
  return octets.join('.');
}

export type ChecksumAlgorithm = 'md5' | 'sha256' | 'sha512';

/** `sha256:HEX`, `md5:HEX`, or bare HEX whose length names the algorithm. */
export function parseChecksum(text: string): { algorithm: ChecksumAlgorithm; hex: string } | undefined {
  const match = /^(?:(md5|sha256|sha512):)?([0-9a-fA-F]+)$/.exec(text.trim());
  if (!match) return undefined;
  const hex = match[2]!.toLowerCase();
  const byLength: Record<number, ChecksumAlgorithm> = { 32: 'md5', 64: 'sha256', 128: 'sha512' };
  const algorithm = (match[1] as ChecksumAlgorithm | undefined) ?? byLength[hex.length];
  if (!algorithm) return undefined;
  const expectedLength = { md5: 32, sha256: 64, sha512: 128 }[algorithm];
  return hex.length === expectedLength ? { algorithm, hex } : undefined;
}

/** A shell-safe single-quoted word for novarc. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** True when one of this host's IPv4 addresses lies in `cidr`: then the floating network is on a local link. */
export function hostIsOnNetwork(cidrText: string, addresses: readonly string[]): boolean {
  const cidr = parseCidr(cidrText);
  if ('error' in cidr) return false;
  return addresses.some((text) => {
    const address = parseIpv4(text);
    return address !== undefined && isHostIn(cidr, address);
  });
}
