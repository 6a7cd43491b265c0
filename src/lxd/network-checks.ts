import type { LabSpec } from '../lab/schema.js';
import { formatIpv4, parseCidr, parseIpv4, type Cidr } from '../lab/net.js';
import type { CheckResult, HostChange, HostFacts } from './checks.js';
import { lxcEquivalent } from './lxc.js';
import type { LxdNetwork } from './types.js';

// The doctor's network checks: the lab's LXD bridge (present, managed, IPv4 with NAT, IPv6 off, MTU)
// and a proxy whose no_proxy must cover the bridge's network. Pure, like the rest of checks.ts.

/** The network of an LXD `ipv4.address` such as 10.203.91.1/24. */
export function bridgeCidr(address: string | undefined): Cidr | undefined {
  const match = /^([\d.]+)\/(\d+)$/.exec(address ?? '');
  if (!match) return undefined;
  const ip = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (ip === undefined || prefix < 1 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const network = ip - (ip % size);
  return { network, prefix, text: `${formatIpv4(network)}/${prefix}` };
}

/** True when a no_proxy list covers the whole CIDR (an equal or wider CIDR entry). */
export function noProxyCovers(noProxy: string | undefined, cidr: Cidr): boolean {
  for (const entry of (noProxy ?? '').split(',').map((e) => e.trim())) {
    const parsed = parseCidr(entry);
    if ('error' in parsed) continue;
    const size = 2 ** (32 - parsed.prefix);
    if (parsed.prefix <= cidr.prefix && cidr.network - (cidr.network % size) === parsed.network) return true;
  }
  return false;
}

export function checkProxy(facts: HostFacts, spec: LabSpec): CheckResult {
  const { proxy } = facts;
  const title = 'Proxy';
  if (!proxy.http && !proxy.https)
    return { id: 'proxy', title, status: 'pass', measured: 'no proxy configured' };
  const cidr = bridgeCidr(facts.bridge?.config['ipv4.address']);
  const measured = `proxy ${proxy.https ?? proxy.http} (from ${proxy.from === 'lab' ? 'lab.yaml' : 'the environment'}), no_proxy "${proxy.noProxy ?? ''}"`;
  if (!cidr)
    return {
      id: 'proxy',
      title,
      status: 'warn',
      measured: `${measured}; bridge ${spec.lxd.bridge} has no IPv4 CIDR to check against`,
    };
  if (noProxyCovers(proxy.noProxy, cidr))
    return { id: 'proxy', title, status: 'pass', measured: `${measured} covers ${cidr.text}` };
  return {
    id: 'proxy',
    title,
    status: 'warn',
    measured: `${measured} does not include the bridge's ${cidr.text}`,
    fix: `Add ${cidr.text} to no_proxy (proxy.noProxy in lab.yaml), or Juju's machines send their own traffic to the proxy.`,
  };
}

export function checkBridge(
  bridge: LxdNetwork | null | undefined,
  spec: LabSpec,
  juju: '2.9' | '3',
): CheckResult[] {
  const name = spec.lxd.bridge;
  if (!bridge) {
    const config = {
      'ipv4.address': 'auto',
      'ipv4.nat': 'true',
      'ipv6.address': 'none',
      'bridge.mtu': String(spec.lxd.mtu),
    };
    return [
      {
        id: 'bridge',
        title: `Bridge ${name}`,
        status: 'fail',
        measured: 'does not exist',
        fix: lxcEquivalent.networkCreate(name, config),
        change: { kind: 'lxd-network', name, config },
      },
    ];
  }
  if (!bridge.managed) {
    return [
      {
        id: 'bridge',
        title: `Bridge ${name}`,
        status: 'warn',
        measured: `exists but is not managed by LXD (type ${bridge.type}): lxdstack cannot check or fix its settings`,
      },
    ];
  }
  const results: CheckResult[] = [
    { id: 'bridge', title: `Bridge ${name}`, status: 'pass', measured: `managed ${bridge.type}` },
  ];
  const config = bridge.config;
  const set = (key: string, value: string | undefined): HostChange => ({
    kind: 'lxd-network-config',
    network: name,
    key,
    value,
  });
  const ipv4 = config['ipv4.address'];
  if (!ipv4 || ipv4 === 'none') {
    results.push({
      id: 'bridge-ipv4',
      title: `${name} IPv4`,
      status: 'fail',
      measured: 'no IPv4 address: containers get no address',
      fix: lxcEquivalent.networkSet(name, 'ipv4.address', 'auto'),
      change: set('ipv4.address', 'auto'),
    });
  } else if (config['ipv4.nat'] !== 'true') {
    results.push({
      id: 'bridge-ipv4',
      title: `${name} IPv4`,
      status: 'warn',
      measured: `${ipv4} without NAT: Juju's machines cannot download charms and packages`,
      fix: lxcEquivalent.networkSet(name, 'ipv4.nat', 'true'),
      change: set('ipv4.nat', 'true'),
    });
  } else {
    results.push({ id: 'bridge-ipv4', title: `${name} IPv4`, status: 'pass', measured: `${ipv4} with NAT` });
  }
  const ipv6 = config['ipv6.address'];
  if (ipv6 && ipv6 !== 'none') {
    results.push({
      id: 'bridge-ipv6',
      title: `${name} IPv6`,
      status: juju === '2.9' ? 'fail' : 'warn',
      measured: `IPv6 on (${ipv6}): ${juju === '2.9' ? 'Juju 2.9 refuses to bootstrap on LXD with IPv6 on the bridge' : 'Juju 3 copes, but the charms expect IPv4 only'}`,
      fix: lxcEquivalent.networkSet(name, 'ipv6.address', 'none'),
      change: set('ipv6.address', 'none'),
    });
  } else {
    results.push({ id: 'bridge-ipv6', title: `${name} IPv6`, status: 'pass', measured: 'IPv6 off' });
  }
  const mtu = config['bridge.mtu'] ?? '1500';
  if (mtu !== String(spec.lxd.mtu)) {
    results.push({
      id: 'bridge-mtu',
      title: `${name} MTU`,
      status: 'warn',
      measured: `${mtu}, but lab.yaml asks for ${spec.lxd.mtu}`,
      fix: lxcEquivalent.networkSet(name, 'bridge.mtu', String(spec.lxd.mtu)),
      change: set('bridge.mtu', String(spec.lxd.mtu)),
    });
  } else {
    results.push({ id: 'bridge-mtu', title: `${name} MTU`, status: 'pass', measured: mtu });
  }
  return results;
}
