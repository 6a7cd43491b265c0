// Facts the bundle templates need beyond the lab spec: which applications belong to each optional
// component, and the Charmhub channels of each OpenStack release of the modern profile.
import type { ComponentName, ProfileName } from '../spec/profiles.js';

/** Applications an overlay removes when a component is switched off (their relations go with them). */
export const COMPONENT_APPLICATIONS: Readonly<
  Record<ProfileName, Partial<Record<ComponentName, readonly string[]>>>
> = {
  'tutorial-2016': {
    ceph: ['ceph-mon', 'ceph-osd'],
    radosgw: ['ceph-radosgw'],
    dashboard: ['openstack-dashboard'],
  },
  'novalxd-final': {
    ceph: ['ceph-mon', 'ceph-osd'],
    radosgw: ['ceph-radosgw'],
    dashboard: ['openstack-dashboard'],
    cinder: ['cinder', 'cinder-ceph'],
  },
  modern: {
    ceph: ['ceph-mon', 'ceph-osd'],
    dashboard: ['openstack-dashboard', 'dashboard-mysql-router'],
    cinder: ['cinder', 'cinder-ceph', 'cinder-mysql-router'],
  },
};

/** Whether the profile's ceph-mon carries expected-osd-count (the 2016 bundle did not set it). */
export const SETS_EXPECTED_OSD_COUNT: Readonly<Record<ProfileName, boolean>> = {
  'tutorial-2016': false,
  'novalxd-final': true,
  modern: true,
};

export interface ReleaseChannels {
  openstack: string;
  ceph: string;
  ovn: string;
  mysql: string;
  rabbitmq: string;
  vault: string;
  /** openstack-origin / source for jammy. */
  origin: string;
}

const COMMON = { mysql: '8.0/stable', rabbitmq: '3.9/stable', vault: '1.8/stable' };

/** Charmhub tracks that go together for each OpenStack release on jammy (the charm guide's release notes). */
export const MODERN_CHANNELS: Readonly<Record<string, ReleaseChannels>> = {
  '2024.1': {
    openstack: '2024.1/stable',
    ceph: 'reef/stable',
    ovn: '24.03/stable',
    origin: 'cloud:jammy-caracal',
    ...COMMON,
  },
  '2023.2': {
    openstack: '2023.2/stable',
    ceph: 'reef/stable',
    ovn: '23.09/stable',
    origin: 'cloud:jammy-bobcat',
    ...COMMON,
  },
  '2023.1': {
    openstack: '2023.1/stable',
    ceph: 'quincy/stable',
    ovn: '23.03/stable',
    origin: 'cloud:jammy-antelope',
    ...COMMON,
  },
  yoga: { openstack: 'yoga/stable', ceph: 'quincy/stable', ovn: '22.03/stable', origin: 'distro', ...COMMON },
};

/** Kernel modules the profile loads: the 2016 spell's list; OVN on jammy also wants the conntrack helpers. */
export const KERNEL_MODULES: Readonly<Record<ProfileName, string>> = {
  'tutorial-2016': 'openvswitch,nbd,ip_tables,ip6_tables,netlink_diag',
  'novalxd-final': 'openvswitch,nbd,ip_tables,ip6_tables,netlink_diag',
  modern: 'openvswitch,nbd,ip_tables,ip6_tables,netlink_diag,nf_conntrack,br_netfilter',
};
