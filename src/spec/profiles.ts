// The three lab profiles and the facts behind their defaults (shared/reference: the conjure-up
// openstack-novalxd spell of 2016-10-13 and 2019-05-13, and the openstack-on-lxd bundles).

export const PROFILE_NAMES = ['tutorial-2016', 'novalxd-final', 'modern'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const COMPONENT_NAMES = ['ceph', 'radosgw', 'dashboard', 'cinder'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

export interface HostBudget {
  cores: number;
  ramGiB: number;
  diskGiB: number;
}

export interface ProfileFacts {
  name: ProfileName;
  title: string;
  /** Where the profile's bundle comes from, for the wizard's one-line why. */
  origin: string;
  /** Juju flavour the bundle is written for: `cs:` charms and `series:` need 2.9; Charmhub and `base:` need 3.x. */
  juju: '2.9' | '3';
  series: string;
  /** Series the profile's charms exist for. */
  seriesChoices: readonly string[];
  /** `base:` value for Juju 3 bundles (modern only). */
  base?: string;
  openstackRelease: string;
  /** Release choices the wizard offers. */
  releases: readonly string[];
  /** Hypervisor type nova reports once the lab runs: the smoke suite checks it. */
  hypervisorType: 'lxd' | 'qemu';
  /** Components this profile's bundle can carry, and which are on by default. */
  components: Partial<Record<ComponentName, boolean>>;
  computeUnits: number;
  osdCount: number;
  budget: HostBudget;
}

export const PROFILES: Readonly<Record<ProfileName, ProfileFacts>> = {
  'tutorial-2016': {
    name: 'tutorial-2016',
    title: 'The 2016 tutorial: conjure-up openstack-novalxd (Mitaka on xenial, nova-lxd)',
    origin: 'conjure-up spell openstack-novalxd, 2016-10-13',
    juju: '2.9',
    series: 'xenial',
    seriesChoices: ['xenial'],
    openstackRelease: 'mitaka',
    releases: ['mitaka'],
    hypervisorType: 'lxd',
    components: { ceph: true, radosgw: true, dashboard: true },
    computeUnits: 1,
    osdCount: 3,
    budget: { cores: 4, ramGiB: 16, diskGiB: 60 },
  },
  'novalxd-final': {
    name: 'novalxd-final',
    title: "The spell's last nova-lxd bundle (Queens on xenial, 2019)",
    origin: 'conjure-up spell openstack-novalxd, 2019-05-13',
    juju: '2.9',
    series: 'xenial',
    seriesChoices: ['xenial'],
    openstackRelease: 'queens',
    releases: ['queens'],
    hypervisorType: 'lxd',
    components: { ceph: true, radosgw: true, dashboard: true, cinder: true },
    computeUnits: 1,
    osdCount: 3,
    budget: { cores: 4, ramGiB: 16, diskGiB: 80 },
  },
  modern: {
    name: 'modern',
    title: 'OpenStack on LXD today: Charmhub channels, Juju 3.6, nova-compute on qemu/kvm',
    origin: 'openstack-on-lxd focal bundles, moved to Charmhub channels',
    juju: '3',
    series: 'jammy',
    seriesChoices: ['jammy'],
    base: 'ubuntu@22.04',
    openstackRelease: '2024.1',
    releases: ['2024.1', '2023.2', '2023.1', 'yoga'],
    hypervisorType: 'qemu',
    components: { ceph: true, dashboard: true, cinder: false },
    computeUnits: 1,
    osdCount: 3,
    budget: { cores: 4, ramGiB: 24, diskGiB: 100 },
  },
};

export function isProfileName(value: unknown): value is ProfileName {
  return typeof value === 'string' && (PROFILE_NAMES as readonly string[]).includes(value);
}
