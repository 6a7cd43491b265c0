import type { ProfileFacts } from './types.js';

// The spell's last nova-lxd bundle, 2019-05-13 (shared/reference/conjure-up-spells).
export const NOVALXD_FINAL: ProfileFacts<'novalxd-final'> = {
  name: 'novalxd-final',
  title: "The spell's last nova-lxd bundle (Queens on xenial, 2019)",
  origin: 'conjure-up spell openstack-novalxd, 2019-05-13',
  juju: '2.9',
  // the pinned revisions are the 18.02 stable set; the unpinned lxd charm was 19.04 on the spell's date
  charmTracks: { '*': '18.02', lxd: '19.04' },
  series: 'xenial',
  seriesChoices: ['xenial'],
  openstackRelease: 'queens',
  releases: ['queens'],
  hypervisorType: 'lxd',
  components: { ceph: true, radosgw: true, dashboard: true, cinder: true },
  componentApplications: {
    ceph: ['ceph-mon', 'ceph-osd'],
    radosgw: ['ceph-radosgw'],
    dashboard: ['openstack-dashboard'],
    cinder: ['cinder', 'cinder-ceph'],
  },
  directoryOsds: true,
  hasVault: false,
  setsExpectedOsdCount: true,
  externalBridge: 'lxdstack-ext',
  kernelModules: 'openvswitch,nbd,ip_tables,ip6_tables,netlink_diag',
  computeUnits: 1,
  osdCount: 3,
  budget: { cores: 4, ramGiB: 16, diskGiB: 80 },
};
