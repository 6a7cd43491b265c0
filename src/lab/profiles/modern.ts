import type { ProfileFacts, ReleaseChannels } from './types.js';

// OpenStack on LXD today, after the charmers' current reference bundle
// (shared/reference/charms/_reference-bundles/bundle-noble-2024.1.yaml): noble with 2024.1 from the
// distro, ceph squid, OVN 24.03, mysql 8.0, rabbitmq 3.12, vault 1.8. jammy stays a choice, with
// OpenStack from the Ubuntu Cloud Archive and jammy's rabbitmq 3.9 (the charm guide's release notes).

const JAMMY_COMMON = { mysql: '8.0/stable', rabbitmq: '3.9/stable', vault: '1.8/stable' };

const CHANNELS: Readonly<Record<string, Readonly<Record<string, ReleaseChannels>>>> = {
  noble: {
    '2024.1': {
      openstack: '2024.1/stable',
      ceph: 'squid/stable',
      ovn: '24.03/stable',
      origin: 'distro',
      mysql: '8.0/stable',
      rabbitmq: '3.12/stable',
      vault: '1.8/stable',
    },
  },
  jammy: {
    '2024.1': {
      openstack: '2024.1/stable',
      ceph: 'squid/stable',
      ovn: '24.03/stable',
      origin: 'cloud:jammy-caracal',
      ...JAMMY_COMMON,
    },
    '2023.2': {
      openstack: '2023.2/stable',
      ceph: 'reef/stable',
      ovn: '23.09/stable',
      origin: 'cloud:jammy-bobcat',
      ...JAMMY_COMMON,
    },
    '2023.1': {
      openstack: '2023.1/stable',
      ceph: 'quincy/stable',
      ovn: '23.03/stable',
      origin: 'cloud:jammy-antelope',
      ...JAMMY_COMMON,
    },
    yoga: {
      openstack: 'yoga/stable',
      ceph: 'quincy/stable',
      ovn: '22.03/stable',
      origin: 'distro',
      ...JAMMY_COMMON,
    },
  },
};

export const MODERN: ProfileFacts<'modern'> = {
  name: 'modern',
  title:
    "OpenStack on LXD today: the charmers' 2024.1 reference on noble, Juju 3.6, nova-compute on qemu/kvm",
  origin: "the charmers' current reference bundle (noble, 2024.1), on LXD",
  juju: '3',
  charmTracks: 'channel',
  series: 'noble',
  seriesChoices: ['noble', 'jammy'],
  openstackRelease: '2024.1',
  releases: ['2024.1', '2023.2', '2023.1', 'yoga'],
  channels: CHANNELS,
  hypervisorType: 'qemu',
  // ceph is on only with block devices for its OSDs (storage.osdDevices) or machines of a cloud:
  // since Nautilus a directory makes no OSD (charm-behaviour.md §9).
  components: { ceph: false, dashboard: true, cinder: false },
  componentApplications: {
    ceph: ['ceph-mon', 'ceph-osd'],
    dashboard: ['openstack-dashboard', 'dashboard-mysql-router'],
    cinder: ['cinder', 'cinder-ceph', 'cinder-mysql-router'],
  },
  directoryOsds: false,
  hasVault: true,
  setsExpectedOsdCount: true,
  externalBridge: 'lxdstack-ext',
  // OVN also wants the conntrack helpers beside the 2016 spell's list.
  kernelModules: 'openvswitch,nbd,ip_tables,ip6_tables,netlink_diag,nf_conntrack,br_netfilter',
  computeUnits: 1,
  osdCount: 3,
  budget: { cores: 4, ramGiB: 24, diskGiB: 100 },
};
