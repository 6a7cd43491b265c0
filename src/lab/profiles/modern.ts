import type { ProfileFacts, ReleaseChannels } from './types.js';

const COMMON = { mysql: '8.0/stable', rabbitmq: '3.9/stable', vault: '1.8/stable' };

// OpenStack on LXD today: the openstack-on-lxd focal bundles moved to Charmhub channels. The channels
// are the Charmhub tracks that go together for each OpenStack release on jammy (the charm guide's
// release notes).
const CHANNELS: Readonly<Record<string, ReleaseChannels>> = {
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

export const MODERN: ProfileFacts<'modern'> = {
  name: 'modern',
  title: 'OpenStack on LXD today: Charmhub channels, Juju 3.6, nova-compute on qemu/kvm',
  origin: 'openstack-on-lxd focal bundles, moved to Charmhub channels',
  juju: '3',
  charmTracks: 'channel',
  series: 'jammy',
  seriesChoices: ['jammy'],
  base: 'ubuntu@22.04',
  openstackRelease: '2024.1',
  releases: Object.keys(CHANNELS),
  channels: CHANNELS,
  hypervisorType: 'qemu',
  components: { ceph: true, dashboard: true, cinder: false },
  componentApplications: {
    ceph: ['ceph-mon', 'ceph-osd'],
    dashboard: ['openstack-dashboard', 'dashboard-mysql-router'],
    cinder: ['cinder', 'cinder-ceph', 'cinder-mysql-router'],
  },
  setsExpectedOsdCount: true,
  // OVN on jammy also wants the conntrack helpers beside the 2016 spell's list.
  kernelModules: 'openvswitch,nbd,ip_tables,ip6_tables,netlink_diag,nf_conntrack,br_netfilter',
  computeUnits: 1,
  osdCount: 3,
  budget: { cores: 4, ramGiB: 24, diskGiB: 100 },
};
