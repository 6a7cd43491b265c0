import type { CharmBehaviour, RowCheck } from './types.js';

// The ceph charms (charm-behaviour.md §8-§9 for reef and later, §21 for the 2016/2018 tracks). The
// difference that matters on LXD: from Nautilus on a directory in `osd-devices` makes no OSD.

const CLASSIC_TRACKS = ['16.10', '18.02'];

const MON_PEERS: RowCheck = {
  id: 'peers',
  kind: 'row',
  when: { fewerUnitsThan: { option: 'monitor-count', fallback: 3 } },
  status: 'blocked',
  message: 'Insufficient peer units to bootstrap cluster (require {opt:monitor-count|3})',
  source: '§8 (src/ceph_status.py:66-71); §21 ceph-mon (9085694 hooks/ceph_hooks.py:595-618)',
};

const MON_ADDRESSES: RowCheck = {
  id: 'addresses',
  kind: 'row',
  when: { allUnitsRunning: true },
  status: 'waiting',
  message: 'Peer units detected, waiting for addresses',
  source: '§8 (src/ceph_status.py:81-83); §21 ceph-mon',
};

export const CEPH_MON: CharmBehaviour = {
  charm: 'ceph-mon',
  tracks: ['*'],
  composition: 'first',
  checks: [
    MON_PEERS,
    MON_ADDRESSES,
    {
      id: 'osd-relation',
      kind: 'row',
      when: { unrelated: 'osd' },
      status: 'blocked',
      message: 'Missing relation: OSD',
      source: '§8 (src/ceph_status.py:120)',
    },
    {
      id: 'osds',
      kind: 'row',
      when: { osdsBelow: { option: 'expected-osd-count', fallback: 3 }, endpoint: 'osd' },
      status: 'waiting',
      message:
        'Monitor bootstrapped but waiting for number of OSDs to reach expected-osd-count ({opt:expected-osd-count|3})',
      source: '§8 (src/ceph_status.py:116, :122-125)',
    },
  ],
  final: { others: 'Unit is ready and clustered', source: '§8 (src/ceph_status.py:116-118)' },
  provides: {
    // OSDs get the bootstrap key once the mons have quorum
    osd: { afterChecks: ['peers', 'addresses'] },
    // clients get no keys until ready_for_service: quorum and sufficient OSDs (:980-1000, ceph_client.py:57, :66)
    client: { afterChecks: ['peers', 'addresses', 'osd-relation', 'osds'] },
    radosgw: { afterChecks: ['peers', 'addresses', 'osd-relation', 'osds'] },
  },
};

export const CEPH_MON_CLASSIC: CharmBehaviour = {
  charm: 'ceph-mon',
  tracks: CLASSIC_TRACKS,
  composition: 'first',
  checks: [MON_PEERS, MON_ADDRESSES],
  final: { others: 'Unit is ready and clustered', source: '§21 ceph-mon (hooks/ceph_hooks.py:595-618)' },
  // no OSD gating: clients get keys as soon as the mons have quorum (§21, :497; 18.02 79e27a7 :680-711)
  provides: {
    osd: { afterChecks: ['peers', 'addresses'] },
    client: { afterChecks: ['peers', 'addresses'] },
    radosgw: { afterChecks: ['peers', 'addresses'] },
  },
};

const OSD_MONITOR_CHECKS: RowCheck[] = [
  {
    id: 'monitor-relation',
    kind: 'row',
    when: { unrelated: 'mon' },
    status: 'blocked',
    message: 'Missing relation: monitor',
    source: '§9 (hooks/ceph_hooks.py:975); §21 ceph-osd (2862198 hooks/ceph_hooks.py:478-506)',
  },
  {
    id: 'monitor-data',
    kind: 'row',
    when: { awaiting: 'mon' },
    status: 'waiting',
    message: 'Incomplete relation: monitor',
    source: '§9 (hooks/ceph_hooks.py:982); §21 ceph-osd',
  },
  {
    id: 'no-osds',
    kind: 'row',
    when: { noOsds: true },
    status: 'blocked',
    message: 'No block devices detected using current configuration',
    source: '§9 (hooks/ceph_hooks.py:1006-1007); §21 ceph-osd',
  },
];

export const CEPH_OSD: CharmBehaviour = {
  charm: 'ceph-osd',
  tracks: ['*'],
  composition: 'first',
  checks: OSD_MONITOR_CHECKS,
  final: { others: 'Unit is ready ({osds} OSD)', source: '§9 (hooks/ceph_hooks.py:1017-1018)' },
  // bootstrapped-osds is published once the OSDs exist (hooks/ceph_hooks.py:702)
  provides: { mon: { afterChecks: ['monitor-relation', 'monitor-data'] } },
  osds: {
    option: 'osd-devices',
    default: '',
    directories: false,
    source: '§9 "Directory osd-devices on Nautilus+" (charms_ceph/utils.py:1542-1553)',
  },
};

export const CEPH_OSD_CLASSIC: CharmBehaviour = {
  ...CEPH_OSD,
  tracks: CLASSIC_TRACKS,
  osds: {
    option: 'osd-devices',
    // charms/ceph-osd/16.10 and 18.02 config.yaml
    default: '/dev/vdb',
    directories: true,
    source: '§21 ceph-osd (osdize_dir, lib/ceph/__init__.py:1145-1151; 18.02 lib/ceph/utils.py:1434-1441)',
  },
};

export const CEPH_RADOSGW: CharmBehaviour = {
  charm: 'ceph-radosgw',
  tracks: ['*'],
  composition: 'classic',
  checks: [
    {
      id: 'interfaces',
      kind: 'interfaces',
      // charm-helpers names the mon relation's interface (ceph-radosgw); its endpoint is `mon`
      required: { mon: ['mon'] },
      source: '§21 ceph-radosgw (b9ca7fe hooks/utils.py:91-93)',
    },
  ],
  final: { others: 'Unit is ready', source: '§21 ceph-radosgw' },
};
