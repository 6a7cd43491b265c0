// The shape of a lab profile: every fact about one profile lives in its own table (one file each).

export const COMPONENT_NAMES = ['ceph', 'radosgw', 'dashboard', 'cinder'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

export interface HostBudget {
  cores: number;
  ramGiB: number;
  diskGiB: number;
}

export interface ReleaseChannels {
  openstack: string;
  ceph: string;
  ovn: string;
  mysql: string;
  rabbitmq: string;
  vault: string;
  /** openstack-origin / source for the profile's series. */
  origin: string;
}

/**
 * Which track of the charm catalogue (src/bundle/charms) bundle validation reads a charm's metadata from:
 * `channel` when every application names its Charmhub track in its channel, else the track of each `cs:`
 * charm (`*` for every charm not named).
 */
export type CharmTracks = 'channel' | Readonly<Record<string, string>>;

export interface ProfileFacts<Name extends string = string> {
  name: Name;
  title: string;
  /** Where the profile's bundle comes from, for the wizard's one-line why. */
  origin: string;
  /** Juju flavour the bundle is written for: `cs:` charms and `series:` need 2.9; Charmhub and `base:` need 3.x. */
  juju: '2.9' | '3';
  charmTracks: CharmTracks;
  series: string;
  /** Series the profile's charms exist for. */
  seriesChoices: readonly string[];
  openstackRelease: string;
  /** Release choices the wizard offers (on any of the series). */
  releases: readonly string[];
  /** Charmhub channels per series, then per OpenStack release, for profiles that deploy from Charmhub. */
  channels?: Readonly<Record<string, Readonly<Record<string, ReleaseChannels>>>>;
  /** Hypervisor type nova reports once the lab runs: the smoke suite checks it. */
  hypervisorType: 'lxd' | 'qemu';
  /** Components this profile's bundle can carry, and which are on by default. */
  components: Partial<Record<ComponentName, boolean>>;
  /** Applications an overlay removes when a component is switched off (their relations go with them). */
  componentApplications: Partial<Record<ComponentName, readonly string[]>>;
  /** Whether its ceph makes OSDs on directories (before Nautilus); later ceph needs block devices. */
  directoryOsds: boolean;
  /** Whether the bundle has vault, which issues the TLS certificates and must be unsealed. */
  hasVault: boolean;
  /** Whether the profile's ceph-mon carries expected-osd-count (the 2016 bundle did not set it). */
  setsExpectedOsdCount: boolean;
  /** The host bridge that carries the external network (the containers' eth1). */
  externalBridge: string;
  /** Kernel modules the profile's LXD profile loads (comma-separated, as linux.kernel_modules takes them). */
  kernelModules: string;
  computeUnits: number;
  osdCount: number;
  budget: HostBudget;
}
