import { z } from 'zod';
import { COMPONENT_NAMES, PROFILE_NAMES } from './profiles/index.js';

// The one schema of a lab. Structural rules live here; rules across fields (CIDRs, ranges) live in
// validate.ts so that every error is reported at once.

const name = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,39}$/,
    'use lowercase letters, digits and dashes, starting with a letter (at most 40)',
  );

export const TARGET_KINDS = [
  'localhost',
  'nested-container',
  'existing-controller',
  'maas',
  'lxd-cluster',
] as const;
export const ENGINES = ['juju', 'conjure-up'] as const;
export const STORAGE_DRIVERS = ['dir', 'zfs', 'btrfs', 'lvm'] as const;
/** How vault is unlocked: by the charm itself (a lab-only shortcut), or by deploy's post-deployment steps. */
export const VAULT_UNLOCK = ['auto', 'manual'] as const;
/** Targets whose units go on machines the cloud allocates (MAAS nodes, LXD cluster members). */
export const SCALE_OUT_TARGETS = ['maas', 'lxd-cluster'] as const;
/** Control-plane machines: three-unit services spread one per machine at 3; more would hold no unit. */
export const MAX_CONTROL_MACHINES = 3;

/** nova-compute's virt-type (the charm's option); lxc is libvirt-LXC, the nearest thing to nova-lxd today. */
export const VIRT_TYPES = ['kvm', 'qemu', 'lxc'] as const;
export type VirtType = (typeof VIRT_TYPES)[number];

/** A Juju constraint string; its syntax is checked in validate.ts, with Juju's own rules. */
const constraints = z.string();
const controlCountHint = `use 1 to ${MAX_CONTROL_MACHINES} control machines`;

export const labSpecSchema = z.strictObject({
  name,
  profile: z.enum(PROFILE_NAMES),
  engine: z.enum(ENGINES),
  target: z.strictObject({
    kind: z.enum(TARGET_KINDS),
    /** Juju cloud name to bootstrap on (localhost, or a MAAS / LXD cluster cloud added to juju). */
    cloud: z.string().min(1),
    /** The outer privileged container of the nested layout. */
    container: name,
  }),
  controller: name,
  model: name,
  series: z.string().regex(/^[a-z]+$/, 'use an Ubuntu series name such as xenial or jammy'),
  openstackRelease: z.string().regex(/^[a-z0-9.]+$/, 'use a release name such as mitaka, queens or 2024.1'),
  components: z.strictObject(
    Object.fromEntries(COMPONENT_NAMES.map((c) => [c, z.boolean()])) as Record<
      (typeof COMPONENT_NAMES)[number],
      z.ZodBoolean
    >,
  ),
  sizing: z.strictObject({
    computeUnits: z.int().min(1).max(64),
    osdCount: z.int().min(1).max(12),
  }),
  network: z.strictObject({
    externalCidr: z.string(),
    gateway: z.string(),
    floatingStart: z.string(),
    floatingEnd: z.string(),
    tenantCidr: z.string(),
    dnsServers: z.array(z.string()).min(1),
    externalPort: z.string().regex(/^[a-zA-Z0-9_.-]{1,15}$/, 'use an interface name such as eth1'),
    /** The host-owned LXD bridge whose address is the gateway: the containers' second NIC is on it. */
    externalBridge: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,15}$/, 'use an interface name of at most 15 characters'),
  }),
  storage: z.strictObject({
    /** Block devices for ceph's OSDs; ceph since Nautilus makes no OSD on a directory. */
    osdDevices: z.array(
      z.string().regex(/^\/dev\/[^\s]+$/, 'name a block device such as /dev/sdb (a directory makes no OSD)'),
    ),
  }),
  vault: z.strictObject({
    unlock: z.enum(VAULT_UNLOCK),
    /** `vault operator init` key shares and threshold, for `unlock: manual`. */
    keyShares: z.int().min(1).max(10),
    keyThreshold: z.int().min(1).max(10),
  }),
  /** Keystone admin password; absent means generated once and kept in the lab's credentials file. */
  adminPassword: z.string().min(8, 'use at least 8 characters').optional(),
  sshPublicKey: z.string().min(1),
  proxy: z.strictObject({
    http: z.string().optional(),
    https: z.string().optional(),
    noProxy: z.string().optional(),
  }),
  /**
   * Machines of a scale-out target and their Juju constraints, by role: control machines host the API
   * services in LXD containers, one compute machine per nova-compute unit, one storage machine per
   * ceph-osd unit. Absent for targets whose units are containers on this host.
   */
  machines: z
    .strictObject({
      control: z.strictObject({
        count: z.int().min(1, controlCountHint).max(MAX_CONTROL_MACHINES, controlCountHint),
        constraints,
      }),
      compute: z.strictObject({ constraints }),
      storage: z.strictObject({ constraints }),
    })
    .optional(),
  /** How nova-compute runs instances, and the image configure uploads (both optional). */
  compute: z
    .strictObject({
      virtType: z.enum(VIRT_TYPES).optional(),
      image: z
        .strictObject({
          /** A file path or an http(s) URL. */
          source: z.string().min(1),
          checksum: z.string().regex(/^(sha256:)?[0-9a-fA-F]{64}$/, 'use sha256:HEX (64 hex digits)'),
          /** The Glance name; default from the profile and series. */
          name: z.string().min(1).optional(),
        })
        .optional(),
    })
    .optional(),
  lxd: z.strictObject({
    storagePool: z.string().regex(/^[a-zA-Z0-9_-]{1,63}$/, 'use letters, digits, - and _'),
    storageDriver: z.enum(STORAGE_DRIVERS),
    bridge: z.string().regex(/^[a-zA-Z0-9_-]{1,15}$/, 'use an interface name of at most 15 characters'),
    mtu: z.int().min(1280).max(9000),
  }),
});

export type LabSpec = z.infer<typeof labSpecSchema>;
