import type { CharmBehaviour, RelationCheck } from './types.js';

// The OVN charms (charm-behaviour.md §3-§5): reactive charms whose `states_to_check` report each required
// relation's first missing flag, the certificates relation with its own wording.

/** The certificates relation as layer-ovn and the OVN charms report it (§3 table, :330 and :335). */
function certificates(source: string): RelationCheck {
  return {
    id: 'certificates',
    kind: 'relation',
    endpoint: 'certificates',
    missing: { status: 'blocked', message: "'certificates' missing" },
    incomplete: { status: 'waiting', message: "'certificates' awaiting server certificate data" },
    source,
  };
}

export const OVN_CENTRAL: CharmBehaviour = {
  charm: 'ovn-central',
  tracks: ['*'],
  composition: 'reactive',
  checks: [
    {
      id: 'ovsdb-peer',
      kind: 'relation',
      endpoint: 'ovsdb-peer',
      peer: { minUnits: 2 },
      // peers publish their bound-address once the leader set `ready`, after the OVSDBs run with TLS
      needs: ['certificates'],
      missing: {
        status: 'blocked',
        message: 'Charm requires peers to operate, add more units. A minimum of 3 is required for HA',
      },
      source: '§3 (ovn_central.py:317; peers.py:41-57, announce_leader_ready handlers :99)',
    },
    certificates('§3 (ovn_central.py:330, :335)'),
  ],
  final: {
    leader: 'Unit is ready (leader: ovnnb_db, ovnsb_db)',
    second: 'Unit is ready (northd: active)',
    others: 'Unit is ready',
    source: '§3 final (custom_assess_status_last_check :413-428; juju-status.rst:77-79)',
  },
  provides: {
    // publish_addr_to_clients once ovsdb-peer is available (§4, :190)
    ovsdb: { afterChecks: ['ovsdb-peer', 'certificates'] },
    'ovsdb-cms': { afterChecks: ['ovsdb-peer', 'certificates'] },
  },
};

export const OVN_CHASSIS: CharmBehaviour = {
  charm: 'ovn-chassis',
  tracks: ['*'],
  composition: 'reactive',
  checks: [
    certificates('§4 (ovn_charm.py states_to_check :834-868, :864)'),
    { id: 'ovsdb', kind: 'relation', endpoint: 'ovsdb', source: '§4 (ovn_charm.py:447, default messages)' },
  ],
  final: { others: 'Unit is ready', source: '§4 final (juju-status.rst:70-74)' },
};

export const NEUTRON_API_PLUGIN_OVN: CharmBehaviour = {
  charm: 'neutron-api-plugin-ovn',
  tracks: ['*'],
  composition: 'reactive',
  checks: [
    certificates('§5 (neutron_api_plugin_ovn.py:122-152)'),
    {
      id: 'neutron-plugin',
      kind: 'relation',
      endpoint: 'neutron-plugin',
      source: '§5 (neutron_api_plugin_ovn.py:72)',
    },
    { id: 'ovsdb-cms', kind: 'relation', endpoint: 'ovsdb-cms', source: '§5 (neutron_api_plugin_ovn.py:72)' },
  ],
  final: { others: 'Unit is ready', source: '§5 final' },
};
