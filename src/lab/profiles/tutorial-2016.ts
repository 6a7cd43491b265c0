import type { ProfileFacts } from './types.js';

// The conjure-up openstack-novalxd spell of 2016-10-13 (shared/reference/conjure-up-spells).
export const TUTORIAL_2016: ProfileFacts<'tutorial-2016'> = {
  name: 'tutorial-2016',
  title: 'The 2016 tutorial: conjure-up openstack-novalxd (Mitaka on xenial, nova-lxd)',
  origin: 'conjure-up spell openstack-novalxd, 2016-10-13',
  juju: '2.9',
  // the spell's unpinned cs:xenial charms as the charm store served them on the tutorial's date
  charmTracks: { '*': '16.10' },
  series: 'xenial',
  seriesChoices: ['xenial'],
  openstackRelease: 'mitaka',
  releases: ['mitaka'],
  hypervisorType: 'lxd',
  components: { ceph: true, radosgw: true, dashboard: true },
  componentApplications: {
    ceph: ['ceph-mon', 'ceph-osd'],
    radosgw: ['ceph-radosgw'],
    dashboard: ['openstack-dashboard'],
  },
  directoryOsds: true,
  hasVault: false,
  setsExpectedOsdCount: false,
  // the spell's own external bridge (conjure-up-spells openstack-novalxd lxd-profile.yaml: eth1 on conjureup0)
  externalBridge: 'conjureup0',
  kernelModules: 'openvswitch,nbd,ip_tables,ip6_tables,netlink_diag',
  computeUnits: 1,
  osdCount: 3,
  budget: { cores: 4, ramGiB: 16, diskGiB: 60 },
};
