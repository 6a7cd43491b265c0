import { cidrsOverlap, parseCidr } from '../lab/net.js';
import type { LabSpec } from '../lab/schema.js';
import type { CheckResult } from './checks.js';
import { bridgeCidr } from './network-checks.js';
import { externalBridgeConfig } from './prepare.js';

// The doctor's judgement on the lab's own needs (pure): an external network that no host network
// overlaps, OSD devices that are free block devices, and a place a strictly confined juju can read.

export interface LabFacts {
  hostNetworks: { name: string; cidr: string }[];
  osdDevices: Record<string, { exists: boolean; block: boolean; mountedAt?: string }>;
  staging: {
    strict: boolean;
    executable?: string;
    dir?: string;
    home?: string;
    problem?: string;
  };
}

const ON_THIS_HOST = new Set(['localhost', 'nested-container']);

/** Whether the lab's external network lives on this host (its bridge is made here). */
export function externalNetworkOnThisHost(spec: LabSpec): boolean {
  return ON_THIS_HOST.has(spec.target.kind);
}

/** The external CIDR against the host's networks: doctor's check, and plan's refusal. */
export function checkExternalNetwork(spec: LabSpec, facts: Pick<LabFacts, 'hostNetworks'>): CheckResult {
  const title = `External network ${spec.network.externalCidr}`;
  const external = parseCidr(spec.network.externalCidr);
  const bridge = spec.network.externalBridge;
  if ('error' in external) {
    return {
      id: 'external-network',
      title,
      status: 'fail',
      measured: external.error,
      fix: 'Fix network.externalCidr.',
    };
  }
  const gateway = externalBridgeConfig(spec)['ipv4.address'];
  const own = facts.hostNetworks.find((n) => n.name === bridge && n.cidr === gateway);
  const clashes = facts.hostNetworks.filter((n) => {
    const network = n === own ? undefined : bridgeCidr(n.cidr);
    return network !== undefined && cidrsOverlap(external, network);
  });
  if (clashes.length > 0) {
    return {
      id: 'external-network',
      title,
      status: 'fail',
      measured: `overlaps ${clashes.map((n) => `${n.name} (${n.cidr})`).join(', ')} on this host: floating IPs and the gateway would be ambiguous`,
      fix: 'Pick another range for network.externalCidr (with network.gateway, floatingStart and floatingEnd in it), e.g. 10.99.10.0/24.',
    };
  }
  return {
    id: 'external-network',
    title,
    status: 'pass',
    measured: own
      ? `${bridge} present with the gateway ${gateway}`
      : `no host network overlaps it; deploy creates ${bridge} with the gateway ${gateway} (NAT, no DHCP)`,
  };
}

function checkOsdDevices(spec: LabSpec, facts: LabFacts): CheckResult {
  const title = 'OSD block devices';
  const problems = Object.entries(facts.osdDevices).flatMap(([path, device]) => {
    if (!device.exists) return [`${path} does not exist`];
    if (!device.block) return [`${path} is not a block device`];
    if (device.mountedAt) return [`${path} is mounted at ${device.mountedAt}`];
    return [];
  });
  if (problems.length > 0) {
    return {
      id: 'osd-devices',
      title,
      status: 'fail',
      measured: problems.join('; '),
      fix: 'Name whole, unmounted disks in storage.osdDevices (ceph wipes them), or remove storage.osdDevices to run without ceph.',
    };
  }
  return {
    id: 'osd-devices',
    title,
    status: 'pass',
    measured: `${spec.storage.osdDevices.join(', ')}: block devices, not mounted`,
  };
}

function checkStaging(facts: LabFacts): CheckResult {
  const title = 'Files juju can read';
  const { staging } = facts;
  if (!staging.strict) {
    return {
      id: 'juju-staging',
      title,
      status: 'pass',
      measured: `${staging.executable ?? 'juju'} is not a strictly confined snap: it reads the lab folder directly`,
    };
  }
  if (staging.problem) {
    return {
      id: 'juju-staging',
      title,
      status: 'fail',
      measured: `juju is a strictly confined snap and cannot read its staging folder: ${staging.problem}`,
      fix: `Run lxdstack as the user whose home juju reads (${staging.home ?? '$HOME'}), with a non-hidden home folder.`,
    };
  }
  return {
    id: 'juju-staging',
    title,
    status: 'pass',
    measured: `juju is a strictly confined snap: the bundle, overlays and settings are staged in ${staging.dir}, which it can read`,
  };
}

/** The lab's sshPublicKey as plan judges it (lab/ssh-key.ts): a wrong file fails, a missing one warns. */
export function checkSshKey(
  path: string,
  problem: { kind: 'missing' | 'wrong'; message: string } | undefined,
): CheckResult {
  const title = `SSH public key ${path}`;
  if (!problem) return { id: 'ssh-key', title, status: 'pass', measured: 'an OpenSSH public key' };
  return {
    id: 'ssh-key',
    title,
    status: problem.kind === 'wrong' ? 'fail' : 'warn',
    // the problem's message starts with the field and path, already in the title
    measured: problem.message.replace(/^sshPublicKey: \S+ /, ''),
    fix: "Point sshPublicKey in the lab answers at your .pub file (configure imports it as the instances' keypair).",
  };
}

/** The lab's own checks, for the targets they concern. */
export function evaluateLabChecks(spec: LabSpec, facts: LabFacts, jujuHere: boolean): CheckResult[] {
  const results: CheckResult[] = [];
  const onThisHost = externalNetworkOnThisHost(spec);
  if (onThisHost) results.push(checkExternalNetwork(spec, facts));
  if (onThisHost && spec.storage.osdDevices.length > 0) results.push(checkOsdDevices(spec, facts));
  if (jujuHere) results.push(checkStaging(facts));
  return results;
}
