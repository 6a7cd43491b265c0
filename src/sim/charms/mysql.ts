import type { CharmBehaviour } from './types.js';

// The database charms: mysql-innodb-cluster and its routers (charm-behaviour.md §6-§7, reactive), and the
// 2016/2018 profiles' percona-cluster (§21, classic).

export const MYSQL_INNODB_CLUSTER: CharmBehaviour = {
  charm: 'mysql-innodb-cluster',
  tracks: ['*'],
  composition: 'reactive',
  checks: [
    {
      id: 'cluster',
      kind: 'relation',
      endpoint: 'cluster',
      // the peer interface hard-codes minimum_cluster_size = 3 (peers.py:23, available() :43-53)
      peer: { minUnits: 3 },
      source: '§6 (mysql_innodb_cluster.py:200; interface peers.py:23, :43-53, :72)',
    },
    // the `charm` pseudo-relation: the leader forms the cluster step by step once every peer has joined
    {
      id: 'configured',
      kind: 'row',
      when: { awaiting: 'cluster' },
      status: 'waiting',
      message: 'Instance not yet configured for clustering',
      source: '§6 (mysql_innodb_cluster.py:1519)',
    },
    {
      id: 'created',
      kind: 'row',
      when: { awaiting: 'cluster', plusSec: 5 },
      status: 'waiting',
      // `{cluster-name}` at the charm's default `jujuCluster`
      message: 'Cluster jujuCluster not yet created by leader',
      source: '§6 (mysql_innodb_cluster.py:1522)',
    },
    {
      id: 'instances-configured',
      kind: 'row',
      when: { awaiting: 'cluster', plusSec: 10 },
      status: 'waiting',
      message: 'Not all instances configured for clustering',
      source: '§6 (mysql_innodb_cluster.py:1526)',
    },
    {
      id: 'in-cluster',
      kind: 'row',
      when: { awaiting: 'cluster', plusSec: 15 },
      status: 'waiting',
      message: 'Instance not yet in the cluster',
      source: '§6 (mysql_innodb_cluster.py:1531)',
    },
    {
      id: 'clustered',
      kind: 'row',
      when: { awaiting: 'cluster', plusSec: 20 },
      status: 'waiting',
      message: 'Not all instances clustered',
      source: '§6 (mysql_innodb_cluster.py:1534)',
    },
  ],
  final: {
    leader: 'Unit is ready: Mode: R/W, Cluster is ONLINE and can tolerate up to ONE failure.',
    others: 'Unit is ready: Mode: R/O, Cluster is ONLINE and can tolerate up to ONE failure.',
    source: '§6 (mysql_innodb_cluster.py:1604-1607; juju-status.rst:61-63, three units)',
  },
  provides: {
    // db_router_respond / shared_db_respond only once every instance is clustered (:313-318, :335-340)
    'db-router': { afterChecks: ['cluster', 'clustered'] },
    'shared-db': { afterChecks: ['cluster', 'clustered'] },
  },
};

export const MYSQL_ROUTER: CharmBehaviour = {
  charm: 'mysql-router',
  tracks: ['*'],
  composition: 'reactive',
  checks: [
    { id: 'db-router', kind: 'relation', endpoint: 'db-router', source: '§7 (mysql_router.py:73)' },
    { id: 'shared-db', kind: 'relation', endpoint: 'shared-db', source: '§7 (mysql_router.py:73)' },
    {
      id: 'bootstrapped',
      kind: 'row',
      when: { awaiting: 'db-router' },
      status: 'waiting',
      message: 'MySQL Router not yet bootstrapped',
      source: '§7 (mysql_router.py:408-418)',
    },
    {
      id: 'started',
      kind: 'row',
      when: { awaiting: 'db-router', plusSec: 5 },
      status: 'waiting',
      message: 'MySQL Router not yet started',
      source: '§7 (mysql_router.py:408-418)',
    },
    {
      id: 'proxied',
      kind: 'row',
      when: { awaiting: 'db-router', plusSec: 10 },
      status: 'waiting',
      message: 'Waiting for proxied DB creation from cluster',
      source: '§7 (mysql_router.py:408-418)',
    },
  ],
  final: { others: 'Unit is ready', source: '§7 final' },
  provides: { 'shared-db': { afterChecks: ['db-router', 'shared-db', 'proxied'] } },
};

export const PERCONA_CLUSTER: CharmBehaviour = {
  charm: 'percona-cluster',
  tracks: ['16.10', '18.02'],
  composition: 'classic',
  checks: [
    { id: 'interfaces', kind: 'interfaces', required: {}, source: '§21 percona-cluster (none required)' },
    {
      id: 'peers',
      kind: 'row',
      // only with min-cluster-size set: unset means a single unit is a cluster
      when: { fewerUnitsThan: { option: 'min-cluster-size', fallback: 1 } },
      status: 'blocked',
      message: 'Insufficient peers to bootstrap cluster',
      source: '§21 percona-cluster (b8be149 hooks/percona_utils.py:427-447)',
    },
  ],
  final: { others: 'Unit is ready', source: '§21 percona-cluster (single unit)' },
};
