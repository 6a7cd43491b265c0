import { PROFILES, type ProfileName } from './profiles/index.js';
import type { LabSpec } from './schema.js';

/**
 * The complete default spec of a profile. Networking follows the 2016 spell's Neutron step and
 * conjure-up's conjureup0 bridge (10.99.0.0/24 external, 10.101.0.0/24 tenant).
 */
export function defaultSpec(profile: ProfileName): LabSpec {
  const facts = PROFILES[profile];
  return {
    name: 'openstack-lab',
    profile,
    engine: 'juju',
    target: { kind: 'localhost', cloud: 'localhost', container: 'lxdstack-host' },
    controller: 'lxdstack',
    model: 'openstack',
    series: facts.series,
    openstackRelease: facts.openstackRelease,
    components: {
      ceph: facts.components.ceph ?? false,
      radosgw: facts.components.radosgw ?? false,
      dashboard: facts.components.dashboard ?? false,
      cinder: facts.components.cinder ?? false,
    },
    sizing: { computeUnits: facts.computeUnits, osdCount: facts.osdCount },
    network: {
      externalCidr: '10.99.0.0/24',
      gateway: '10.99.0.1',
      floatingStart: '10.99.0.10',
      floatingEnd: '10.99.0.254',
      tenantCidr: '10.101.0.0/24',
      dnsServers: ['10.99.0.1'],
      externalPort: 'eth1',
      externalBridge: facts.externalBridge,
    },
    storage: { osdDevices: [] },
    vault: { unlock: 'auto', keyShares: 5, keyThreshold: 3 },
    sshPublicKey: '~/.ssh/id_rsa.pub',
    proxy: {},
    lxd: { storagePool: 'default', storageDriver: 'dir', bridge: 'lxdbr0', mtu: 1500 },
  };
}

/**
 * The machines a scale-out target gets when the answers name none: one control machine big enough for
 * a dozen API containers, compute and storage hosts in the spirit of the charmers' openstack-base.
 */
export function defaultMachines(): NonNullable<LabSpec['machines']> {
  return {
    control: { count: 1, constraints: 'cores=4 mem=16G root-disk=100G' },
    compute: { constraints: 'cores=8 mem=32G root-disk=200G' },
    storage: { constraints: 'cores=2 mem=8G root-disk=100G' },
  };
}

/** Every key path of a spec, dotted (`network.gateway`): for unknown-key suggestions and comments. */
export function specKeyPaths(value: unknown = defaultSpec('modern'), prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const paths: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    paths.push(path, ...specKeyPaths(inner, path));
  }
  return paths;
}
