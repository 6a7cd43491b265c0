import { CEPH_MON, CEPH_MON_CLASSIC, CEPH_OSD, CEPH_OSD_CLASSIC, CEPH_RADOSGW } from './ceph.js';
import { MYSQL_INNODB_CLUSTER, MYSQL_ROUTER, PERCONA_CLUSTER } from './mysql.js';
import { OPENSTACK_TABLES } from './openstack.js';
import { NEUTRON_API_PLUGIN_OVN, OVN_CENTRAL, OVN_CHASSIS } from './ovn.js';
import type { CharmBehaviour } from './types.js';
import { VAULT } from './vault.js';

// Every charm behaviour table the simulator knows, and which one a deployed application follows.

export const CHARM_BEHAVIOURS: readonly CharmBehaviour[] = [
  VAULT,
  OVN_CENTRAL,
  OVN_CHASSIS,
  NEUTRON_API_PLUGIN_OVN,
  MYSQL_INNODB_CLUSTER,
  MYSQL_ROUTER,
  PERCONA_CLUSTER,
  CEPH_MON,
  CEPH_MON_CLASSIC,
  CEPH_OSD,
  CEPH_OSD_CLASSIC,
  CEPH_RADOSGW,
  ...OPENSTACK_TABLES,
];

const RISKS = new Set(['stable', 'candidate', 'beta', 'edge']);

/**
 * The charm's track as shared/reference/charms names its folders: a Charmhub channel's track
 * (`2024.1/stable` → `2024.1`); for the charm store's `cs:` charms, which carry no channel, the release
 * the profiles replay: a pinned revision (`cs:keystone-275`) is the spell's 18.02 set, an unpinned one
 * (`cs:xenial/keystone`) what the store served in October 2016 (charms/README.md "Tracks → branches").
 */
export function trackOf(channel: string | undefined, charmUrl: string): string | undefined {
  if (charmUrl.startsWith('cs:')) return /-\d+$/.test(charmUrl) ? '18.02' : '16.10';
  const track = channel?.split('/')[0];
  return track === undefined || RISKS.has(track) || track === 'latest' ? undefined : track;
}

/** The table for a charm at a track: the one naming the track, else the charm's `*` table. */
export function behaviourOf(
  charm: string,
  channel: string | undefined,
  charmUrl: string,
): CharmBehaviour | undefined {
  const track = trackOf(channel, charmUrl);
  const tables = CHARM_BEHAVIOURS.filter((table) => table.charm === charm);
  return (
    tables.find((table) => track !== undefined && table.tracks.includes(track)) ??
    tables.find((table) => table.tracks.includes('*'))
  );
}
