import type { SimCloudType } from './clouds.js';

// Constraints and hardware as `juju status` prints them for a machine: constraints in the order and
// units of Juju's constraints.Value.String() (sizes in MiB with M, arch filled in), hardware in the order
// of instance.HardwareCharacteristics.String(), with what the provider reports: a MAAS node gives arch,
// cores, memory, its tags and zone; an LXD container reports no limits. Pure.

/** constraints.Value.String()'s key order; `cpu-cores` is read as its alias `cores`. */
const KEY_ORDER = [
  'arch',
  'container',
  'cores',
  'cpu-power',
  'instance-role',
  'instance-type',
  'mem',
  'root-disk',
  'root-disk-source',
  'tags',
  'spaces',
  'virt-type',
  'zones',
  'allocate-public-ip',
  'image-id',
];
const MIB: Record<string, number> = { M: 1, G: 1024, T: 1024 * 1024, P: 1024 * 1024 * 1024 };
/** The size MAAS gives a node when the constraints ask for none. */
const UNCONSTRAINED_NODE = { cores: 4, mem: 8192 };

function parse(raw: string | undefined): Map<string, string> {
  const values = new Map<string, string>();
  for (const part of (raw ?? '').trim().split(/(?<!\\) /)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq);
    values.set(key === 'cpu-cores' ? 'cores' : key, part.slice(eq + 1).replace(/\\ /g, ' '));
  }
  return values;
}

function mebibytes(size: string): number {
  const unit = MIB[size.slice(-1)];
  return Math.ceil(Number(unit === undefined ? size : size.slice(0, -1)) * (unit ?? 1));
}

/** The machine's constraints as Juju stores and prints them. */
export function formatConstraints(raw: string | undefined): string {
  const values = parse(raw);
  if (!values.has('arch')) values.set('arch', 'amd64');
  const parts: string[] = [];
  for (const key of KEY_ORDER) {
    const value = values.get(key);
    if (value === undefined) continue;
    const shown =
      key === 'mem' || key === 'root-disk'
        ? value === '' || mebibytes(value) === 0
          ? ''
          : `${mebibytes(value)}M`
        : key === 'cores' || key === 'cpu-power'
          ? value === '' || Number(value) === 0
            ? ''
            : String(Number(value))
          : value;
    parts.push(`${key}=${shown}`.replace(/ /g, '\\ '));
  }
  return parts.join(' ');
}

/** What the provider reports for an instance allocated for these constraints. */
export function formatHardware(raw: string | undefined, cloudType: SimCloudType, container: boolean): string {
  if (cloudType === 'lxd' || container) return 'arch=amd64 cores=0 mem=0M virt-type=container';
  const values = parse(raw);
  const cores = Number(values.get('cores') || UNCONSTRAINED_NODE.cores);
  const mem = values.get('mem') ? mebibytes(values.get('mem')!) : UNCONSTRAINED_NODE.mem;
  const tags = (values.get('tags') ?? '').split(',').filter((t) => t !== '' && !t.startsWith('^'));
  const zone =
    (values.get('zones') ?? '').split(',').find((z) => z !== '' && !z.startsWith('^')) ?? 'default';
  return [
    `arch=${values.get('arch') || 'amd64'}`,
    `cores=${cores}`,
    `mem=${mem}M`,
    ...(tags.length > 0 ? [`tags=${tags.join(',')}`] : []),
    `availability-zone=${zone}`,
  ].join(' ');
}
