import type { CharmBehaviour } from './types.js';

// The classic (hooks) OpenStack charms and the other charms of the profiles that only say "ready"
// (charm-behaviour.md §10-§18 for 2024.1, §21 for the 2016/2018 tracks). Classic charms compose
// "Missing relations: …" / "Incomplete relations: …" from charm-helpers' REQUIRED_INTERFACES (§0): a generic
// name, then the charm's endpoints that satisfy it. The `optional` ones become required once related.

const MODERN = ['*'];
const CLASSIC = ['16.10', '18.02', '19.04'];
const JEWEL = ['16.10'];
/** The 18.02 charms dropped PostgreSQL and ZeroMQ: their metadata has no pgsql-db / zeromq-configuration. */
const LUMINOUS = ['18.02', '19.04'];
const NO_LONGER_IN_18_02 = '; 18.02 metadata has no pgsql/zeromq relations';

function classic(
  charm: string,
  tracks: string[],
  required: Record<string, string[]>,
  source: string,
  extra: Partial<CharmBehaviour> & { optional?: Record<string, string[]> } = {},
): CharmBehaviour {
  const { optional, ...rest } = extra;
  return {
    charm,
    tracks,
    composition: 'classic',
    checks: [{ id: 'interfaces', kind: 'interfaces', required, ...(optional ? { optional } : {}), source }],
    final: { others: 'Unit is ready', source: '§0 (charmhelpers utils.py:1035)' },
    ...rest,
  };
}

/** Classic API charms send their endpoints to keystone and their data to clients once their own relations are complete. */
const API_PROVIDES = { afterChecks: ['interfaces'] };

export const OPENSTACK_TABLES: readonly CharmBehaviour[] = [
  classic('keystone', MODERN, { database: ['shared-db'] }, '§10 (hooks/keystone_utils.py:480-482)', {
    provides: { 'identity-service': API_PROVIDES },
    applicationReady: {
      ready: 'Application Ready',
      notReady: 'Some units are not ready',
      source: '§10 (os_application_status_set :2689; charmhelpers utils.py:2569, :2572)',
    },
    ports: { http: ['5000/tcp'], source: '§2 keystone https switch (configure_https :888; same port)' },
    // update_all_identity_relation_units re-publishes the endpoints as https once certs arrive (§2, :888)
    publishes: {
      'identity-service': {
        api_version: '3',
        auth_host: '{address}',
        auth_port: '35357',
        auth_protocol: '{scheme}',
        service_host: '{address}',
        service_port: '5000',
        service_protocol: '{scheme}',
      },
    },
  }),
  ...[JEWEL, LUMINOUS].map((tracks) =>
    classic(
      'keystone',
      tracks,
      { database: tracks === JEWEL ? ['shared-db', 'pgsql-db'] : ['shared-db'] },
      `§21 keystone (588557e hooks/keystone_utils.py:360-362)${tracks === JEWEL ? '' : NO_LONGER_IN_18_02}`,
      {
        provides: { 'identity-service': API_PROVIDES },
        ports: { http: ['5000/tcp'], source: '§21 keystone' },
      },
    ),
  ),
  classic(
    'glance',
    MODERN,
    { database: ['shared-db'], identity: ['identity-service'] },
    '§13 (hooks/glance_utils.py:153-156, :481-488)',
    {
      optional: {
        messaging: ['amqp'],
        'storage-backend': ['ceph', 'object-store', 'cinder-volume-service', 'storage-backend'],
      },
    },
  ),
  ...[JEWEL, LUMINOUS].map((tracks) =>
    classic(
      'glance',
      tracks,
      {
        database: tracks === JEWEL ? ['shared-db', 'pgsql-db'] : ['shared-db'],
        identity: ['identity-service'],
      },
      `§21 glance (5de7fab hooks/glance_utils.py:152-155)${tracks === JEWEL ? '' : NO_LONGER_IN_18_02}`,
    ),
  ),
  classic(
    'nova-compute',
    MODERN,
    { messaging: ['amqp'], image: ['image-service'], compute: ['cloud-compute'] },
    '§11 (hooks/nova_compute_utils.py:345-349, :961-963)',
    { optional: { 'storage-backend': ['ceph'], 'neutron-plugin': ['neutron-plugin'] } },
  ),
  classic(
    'nova-compute',
    CLASSIC,
    { messaging: ['amqp'], image: ['image-service'] },
    '§21 nova-compute (6c7dcbc hooks/nova_compute_utils.py:300-303, :928-939)',
    {
      optional: {
        'storage-backend': ['ceph'],
        'neutron-plugin': ['neutron-plugin'],
        database: ['shared-db'],
      },
    },
  ),
  classic(
    'nova-cloud-controller',
    MODERN,
    {
      database: ['shared-db'],
      messaging: ['amqp'],
      identity: ['identity-service'],
      image: ['image-service'],
      // charm-helpers names the interfaces nova-compute / nova-cell-api; these are their endpoints
      compute: ['cloud-compute', 'nova-cell-api'],
      placement: ['placement'],
    },
    '§18 (hooks/nova_cc_utils.py:50-60, :1877-1878)',
    {
      optional: {
        cinder: ['cinder-volume-service'],
        'neutron-api': ['neutron-api'],
        quantum: ['quantum-network-service'],
      },
    },
  ),
  ...[JEWEL, LUMINOUS].map((tracks) =>
    classic(
      'nova-cloud-controller',
      tracks,
      {
        database: tracks === JEWEL ? ['shared-db', 'pgsql-nova-db'] : ['shared-db'],
        messaging: ['amqp'],
        identity: ['identity-service'],
        image: ['image-service'],
        compute: ['cloud-compute'],
      },
      `§21 nova-cloud-controller (2a7bc02 hooks/nova_cc_utils.py:118-124)${tracks === JEWEL ? '' : NO_LONGER_IN_18_02}`,
    ),
  ),
  classic(
    'neutron-api',
    MODERN,
    {
      database: ['shared-db'],
      messaging: ['amqp'],
      identity: ['identity-service'],
      'neutron-plugin': ['neutron-plugin-api', 'neutron-plugin-api-subordinate'],
    },
    '§12 (hooks/neutron_api_utils.py:230-234, :939-943)',
  ),
  ...[JEWEL, LUMINOUS].map((tracks) =>
    classic(
      'neutron-api',
      tracks,
      {
        database: tracks === JEWEL ? ['shared-db', 'pgsql-db'] : ['shared-db'],
        messaging: tracks === JEWEL ? ['amqp', 'zeromq-configuration'] : ['amqp'],
        identity: ['identity-service'],
      },
      `§21 neutron-api (f14e4ca hooks/neutron_api_utils.py:199-203)${tracks === JEWEL ? '' : NO_LONGER_IN_18_02}`,
    ),
  ),
  classic(
    'neutron-gateway',
    CLASSIC,
    { messaging: ['amqp'], 'neutron-plugin': ['neutron-plugin-api'] },
    '§21 neutron-gateway (0b26972 hooks/neutron_utils.py:251-254)',
  ),
  classic(
    'neutron-openvswitch',
    CLASSIC,
    { messaging: ['amqp'] },
    '§21 neutron-openvswitch (ae6cdbb hooks/neutron_ovs_utils.py:87-89)',
  ),
  classic(
    'openstack-dashboard',
    MODERN,
    { identity: ['identity-service'] },
    '§16 (hooks/horizon_utils.py:102-104)',
    {
      ports: {
        http: ['80/tcp'],
        https: ['80/tcp', '443/tcp'],
        source: '§16 (serves https once certificates arrive; juju-status.rst:75)',
      },
    },
  ),
  classic(
    'openstack-dashboard',
    CLASSIC,
    { identity: ['identity-service'] },
    '§21 openstack-dashboard (952ce13 hooks/horizon_utils.py:97-99)',
  ),
  classic(
    'cinder',
    ['*', '18.02'],
    { database: ['shared-db'], messaging: ['amqp'], identity: ['identity-service'] },
    '§17 cinder (hooks/cinder_utils.py:193-197, :938-942)',
    { optional: { 'storage-backend': ['storage-backend', 'ceph'], image: ['image-service'] } },
  ),
  classic(
    'cinder-ceph',
    ['*', '18.02'],
    { ceph: ['ceph'], 'nova-compute': ['ceph-access'] },
    '§17 cinder-ceph (hooks/cinder_utils.py:42-45)',
    // it sends its backend on storage-backend only once the ceph context is complete (cinder_hooks.py:315-318)
    { provides: { 'storage-backend': API_PROVIDES } },
  ),
  {
    charm: 'placement',
    tracks: MODERN,
    composition: 'reactive',
    checks: ['shared-db', 'identity-service', 'placement'].map((endpoint) => ({
      id: endpoint,
      kind: 'relation' as const,
      endpoint,
      source: '§14 (src/lib/charm/openstack/placement.py:53)',
    })),
    final: { others: 'Unit is ready', source: '§14 final' },
  },
  classic('rabbitmq-server', [...MODERN, ...CLASSIC], {}, '§15 (hooks/rabbit_utils.py:1647-1649)', {
    final: {
      others: 'Unit is ready',
      clustered: 'Unit is ready and clustered',
      source: '§15 (rabbit_utils.py:1651-1652); §21 rabbitmq-server (adfce50 hooks/rabbit_utils.py:802-823)',
    },
  }),
  classic('lxd', [...MODERN, ...CLASSIC], {}, '§21 lxd (a78a6bd hooks/lxd_utils.py:488-493)'),
  classic('ntp', [...MODERN, ...CLASSIC], {}, '§21 ntp (f938f86 hooks/ntp_hooks.py:142-144)'),
];
