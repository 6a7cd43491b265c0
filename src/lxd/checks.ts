import { PROFILES } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import { evaluateLabChecks, type LabFacts } from './lab-checks.js';
import { heavyComponentsOn, labBudget } from '../lab/budget.js';
import { checkCores, checkDisk, checkMemory, checkSwap } from './budget-checks.js';
import { lxcEquivalent } from './lxc.js';
import { checkBridge, checkProxy } from './network-checks.js';
import type { LxdNetwork, LxdStoragePool } from './types.js';

// The doctor's judgement: measured host facts in, one verdict per check out, each with the value seen
// and the exact fix. Pure: the probes that gather the facts live in probes.ts.

export type CheckStatus = 'pass' | 'warn' | 'fail';

/** A change doctor --fix may make, with everything needed to make it; teardown puts the previous value back. */
export type HostChange =
  | { kind: 'sysctl'; key: string; value: string }
  | { kind: 'lxd-network-config'; network: string; key: string; value: string | undefined }
  | { kind: 'lxd-network'; name: string; config: Record<string, string> }
  | { kind: 'lxd-pool'; name: string; driver: string };

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was measured, in words a person reads. */
  measured: string;
  /** The exact command or step that fixes it (absent when nothing to fix). */
  fix?: string;
  /** Present when `doctor --fix` can apply the fix itself. */
  change?: HostChange;
}

/** Facts the probes gathered; `undefined` where a probe could not tell. */
export interface HostFacts {
  os: { id: string; versionId: string; prettyName: string; kernel: string };
  cores: number;
  memTotalBytes: number;
  swapTotalBytes: number;
  lxdPackages: { apt?: string; snap?: string };
  socket: {
    path: string;
    exists: boolean;
    mode?: string;
    group?: string;
    accessible: boolean;
    isRoot: boolean;
    inGroup: boolean;
  };
  server: { version: string; storage?: string } | { error: string };
  juju: ToolFact;
  conjureUp?: ToolFact;
  bridge?: LxdNetwork | null;
  pool?: LxdStoragePool | null;
  poolFreeBytes?: number;
  virtualization: { kind: 'none' | 'container' | 'vm'; detail: string };
  kvm: boolean;
  sysctl: Record<string, string | undefined>;
  /** Each module LXD will be asked to load: already loaded, loadable with modprobe, or missing. */
  kernelModules: Record<string, 'loaded' | 'loadable' | 'missing'>;
  proxy: { http?: string; https?: string; noProxy?: string; from: 'lab' | 'environment' | 'none' };
  smoke?: SmokeFact;
  /** The lab's own needs: host networks, OSD devices, juju's staging folder (lab-checks.ts). */
  lab?: LabFacts;
}

export interface ToolFact {
  /** `env` when named by LXDSTACK_JUJU (the simulator, usually); `path` when found on PATH. */
  source: 'env' | 'path' | 'none';
  path?: string;
  version?: string;
  error?: string;
}

export interface SmokeFact {
  ok: boolean;
  image?: string;
  ipv4?: string;
  durationMs: number;
  error?: string;
}

/**
 * Kernel limits from the openstack-on-lxd guide (charm-guide "OpenStack on LXD": inotify and
 * max_map_count) and LXD's production-setup page (kernel.keys.*), which the guide points to for dozens
 * of containers.
 */
export const SYSCTL_MINIMUMS: Readonly<Record<string, number>> = {
  'fs.inotify.max_user_instances': 1048576,
  'fs.inotify.max_user_watches': 1048576,
  'fs.inotify.max_queued_events': 1048576,
  'vm.max_map_count': 262144,
  'kernel.keys.maxkeys': 2000,
  'kernel.keys.maxbytes': 2000000,
};

/** linux.kernel_modules of the 2016 tutorial's outer container. */
export const NESTED_HOST_MODULES = ['iptable_nat', 'ip6table_nat', 'ebtables', 'openvswitch'] as const;

/** The modules LXD must load for this lab: at container start it fails when one cannot be loaded. */
export function requiredKernelModules(spec: LabSpec): string[] {
  // The model profile's list is the bundle area's (it renders that profile from it).
  const modules = new Set<string>(PROFILES[spec.profile].kernelModules.split(','));
  if (spec.target.kind === 'nested-container') for (const m of NESTED_HOST_MODULES) modules.add(m);
  return [...modules];
}

/** The oldest LXD each Juju flavour works with. */
const MIN_LXD: Record<'2.9' | '3', number> = { '2.9': 3.0, '3': 5.0 };

export const JUJU_INSTALL: Record<'2.9' | '3', string> = {
  '2.9': 'snap install juju --classic --channel=2.9/stable',
  '3': 'snap install juju --channel=3.6/stable',
};

export interface EvaluateOptions {
  /** `optional` turns a missing juju into a warning (doctor of a simulated lab). */
  juju: 'needed' | 'optional';
  containerSmoke: boolean;
}

/** Targets whose units run on machines elsewhere: this host only runs the juju client. */
const REMOTE_TARGETS: readonly string[] = ['maas', 'lxd-cluster', 'existing-controller'];

export function evaluateChecks(spec: LabSpec, facts: HostFacts, options: EvaluateOptions): CheckResult[] {
  const profile = PROFILES[spec.profile];
  if (REMOTE_TARGETS.includes(spec.target.kind)) {
    const client = [checkJuju(facts, profile.juju, options.juju), checkProxy(facts, spec)];
    return spec.engine === 'conjure-up' ? [...client, checkConjureUp(facts)] : client;
  }
  const budget = labBudget(spec);
  const heavy = heavyComponentsOn(spec);
  const results: CheckResult[] = [
    checkOs(facts),
    checkCores(facts, budget.cores),
    checkMemory(facts, budget.ramGiB, heavy),
    checkSwap(facts, budget.ramGiB),
    checkLxdInstalled(facts),
    checkLxdDaemon(facts, profile.juju),
    checkSocket(facts),
    checkJuju(facts, profile.juju, options.juju),
  ];
  if (spec.engine === 'conjure-up') results.push(checkConjureUp(facts));
  results.push(
    checkVirtualization(facts, spec),
    checkKvm(facts, profile.hypervisorType),
    checkKernelModules(facts),
  );
  for (const [key, minimum] of Object.entries(SYSCTL_MINIMUMS))
    results.push(checkSysctl(key, facts.sysctl[key], minimum));
  results.push(checkProxy(facts, spec));
  // juju runs here unless the nested layout runs it in the outer container
  if (facts.lab) results.push(...evaluateLabChecks(spec, facts.lab, spec.target.kind !== 'nested-container'));
  if ('error' in facts.server) return results; // the LXD checks below need a reachable daemon
  results.push(...checkBridge(facts.bridge, spec, profile.juju));
  results.push(checkPool(facts.pool, spec, facts.virtualization.kind === 'container'));
  results.push(checkDisk(facts, budget.diskGiB, spec.lxd.storagePool, heavy));
  if (options.containerSmoke) results.push(checkSmoke(facts.smoke));
  return results;
}

/** Overall verdict: the run may go on when nothing failed. */
export function checksPassed(results: readonly CheckResult[]): boolean {
  return results.every((r) => r.status !== 'fail');
}

function checkOs(facts: HostFacts): CheckResult {
  const { os } = facts;
  const measured = `${os.prettyName || os.id || 'unknown OS'}, kernel ${os.kernel}`;
  const known = ['ubuntu', 'debian'].includes(os.id);
  const kernelMajor = Number(os.kernel.split('.')[0]);
  if (kernelMajor > 0 && kernelMajor < 4) {
    return {
      id: 'os',
      title: 'OS and kernel',
      status: 'fail',
      measured,
      fix: 'Use a kernel of 4.15 or newer (Ubuntu 18.04 or later).',
    };
  }
  return known
    ? { id: 'os', title: 'OS and kernel', status: 'pass', measured }
    : {
        id: 'os',
        title: 'OS and kernel',
        status: 'warn',
        measured,
        fix: 'lxdstack is tested on Ubuntu and Debian; expect differences elsewhere.',
      };
}

function checkLxdInstalled(facts: HostFacts): CheckResult {
  const { apt, snap } = facts.lxdPackages;
  const title = 'LXD installed';
  if (apt && snap) {
    return {
      id: 'lxd-installed',
      title,
      status: 'fail',
      measured: `both the apt package (${apt}) and the snap (${snap}) are installed`,
      fix: 'Keep one: migrate with `lxd.migrate` then `apt-get purge lxd lxd-client`, or `snap remove lxd`.',
    };
  }
  if (!apt && !snap) {
    return {
      id: 'lxd-installed',
      title,
      status: 'fail',
      measured: 'LXD is not installed',
      fix: 'Install LXD: `snap install lxd` (Ubuntu) or `apt-get install lxd lxd-client dnsmasq-base` (Debian 12), then `lxd init --auto`.',
    };
  }
  return {
    id: 'lxd-installed',
    title,
    status: 'pass',
    measured: apt ? `apt package ${apt}` : `snap ${snap}`,
  };
}

function checkLxdDaemon(facts: HostFacts, juju: '2.9' | '3'): CheckResult {
  const title = 'LXD daemon';
  if ('error' in facts.server) {
    return {
      id: 'lxd-daemon',
      title,
      status: 'fail',
      measured: `${facts.server.error} (bridge, pool and container checks skipped)`,
      fix: facts.socket.exists
        ? 'Start LXD (`snap start lxd`, `systemctl start lxd`, or `bash scripts/lxd-up.sh` on a test machine).'
        : 'Install and initialise LXD, then start it: `lxd init --auto`.',
    };
  }
  const version = facts.server.version;
  const numeric = Number.parseFloat(version);
  if (Number.isFinite(numeric) && numeric < MIN_LXD[juju]) {
    return {
      id: 'lxd-daemon',
      title,
      status: 'fail',
      measured: `LXD ${version}; Juju ${juju} needs ${MIN_LXD[juju].toFixed(1)} or newer`,
      fix: 'Upgrade LXD: `snap refresh lxd --channel=5.0/stable`.',
    };
  }
  return {
    id: 'lxd-daemon',
    title,
    status: 'pass',
    measured: `LXD ${version} answering on ${facts.socket.path}`,
  };
}

function checkSocket(facts: HostFacts): CheckResult {
  const { socket } = facts;
  const title = 'LXD socket access';
  if (!socket.exists)
    return {
      id: 'lxd-socket',
      title,
      status: 'fail',
      measured: `no socket at ${socket.path}`,
      fix: 'Start LXD so that it creates its socket, or set LXD_DIR.',
    };
  const measured = `${socket.path} ${socket.mode ?? ''} group ${socket.group ?? '?'}; you are ${socket.isRoot ? 'root' : socket.inGroup ? 'in that group' : 'not in that group'}`;
  if (socket.accessible) return { id: 'lxd-socket', title, status: 'pass', measured };
  return {
    id: 'lxd-socket',
    title,
    status: 'fail',
    measured,
    fix: `Add yourself to the group: \`usermod -aG ${socket.group ?? 'lxd'} $USER\`, then log out and in (or \`newgrp ${socket.group ?? 'lxd'}\`).`,
  };
}

function checkJuju(facts: HostFacts, want: '2.9' | '3', need: 'needed' | 'optional'): CheckResult {
  const { juju } = facts;
  const title = 'Juju';
  const install = JUJU_INSTALL[want];
  if (juju.source === 'none' || !juju.version) {
    const measured =
      juju.source === 'none'
        ? 'juju is not installed (not on PATH, LXDSTACK_JUJU unset)'
        : `${juju.path} did not report a version: ${juju.error ?? 'no output'}`;
    return {
      id: 'juju',
      title,
      status: need === 'needed' ? 'fail' : 'warn',
      measured,
      fix: `Install Juju ${want === '3' ? '3.6' : '2.9'}: \`${install}\`${need === 'optional' ? ' (or use --simulate)' : ''}.`,
    };
  }
  const major = juju.version.startsWith('2.') ? '2.9' : juju.version.startsWith('3.') ? '3' : undefined;
  if (Number(/^(\d+)\./.exec(juju.version)?.[1]) >= 4) {
    return {
      id: 'juju',
      title,
      status: 'fail',
      measured: `${juju.path ?? 'juju'} ${juju.version}: Juju 4 removed leader-set, which the OpenStack charms call; 3.6 is the supported line`,
      fix: `Install Juju 3.6: \`sudo snap refresh juju --channel 3.6/stable\` (or \`${install}\` on a host without juju).`,
    };
  }
  const what =
    juju.source === 'env'
      ? `LXDSTACK_JUJU=${juju.path} (a stand-in such as the simulator) reports ${juju.version}`
      : `${juju.path} ${juju.version}`;
  if (major !== want) {
    return {
      id: 'juju',
      title,
      status: 'fail',
      measured: `${what}; this profile needs Juju ${want === '3' ? '3.x' : '2.9'}`,
      fix: `Install the matching Juju: \`${install}\`${want === '2.9' ? " (the nova-lxd profiles' cs: charms need 2.9)" : ''}.`,
    };
  }
  return { id: 'juju', title, status: 'pass', measured: what };
}

function checkConjureUp(facts: HostFacts): CheckResult {
  const tool = facts.conjureUp ?? { source: 'none' as const };
  const title = 'conjure-up';
  if (tool.source === 'none' || !tool.version) {
    return {
      id: 'conjure-up',
      title,
      status: 'fail',
      measured:
        tool.source === 'none'
          ? 'conjure-up is not installed'
          : `${tool.path} did not report a version: ${tool.error ?? 'no output'}`,
      fix: 'Install it (`snap install conjure-up --classic`), set LXDSTACK_CONJURE_UP to a stand-in, or use engine: juju.',
    };
  }
  return { id: 'conjure-up', title, status: 'pass', measured: `${tool.path} ${tool.version}` };
}

function checkVirtualization(facts: HostFacts, spec: LabSpec): CheckResult {
  const { kind, detail } = facts.virtualization;
  const title = 'Nesting';
  if (kind === 'container') {
    return {
      id: 'nesting',
      title,
      status: 'warn',
      measured: `running inside a container (${detail})`,
      fix: 'The container running lxdstack needs security.nesting=true and security.privileged=true, and a dir storage pool.',
    };
  }
  const layout =
    spec.target.kind === 'nested-container' ? '; the lab nests inside a privileged container' : '';
  return {
    id: 'nesting',
    title,
    status: 'pass',
    measured: `${kind === 'vm' ? `virtual machine (${detail})` : 'bare metal'}${layout}`,
  };
}

function checkKvm(facts: HostFacts, hypervisor: 'lxd' | 'qemu'): CheckResult {
  const title = '/dev/kvm';
  if (hypervisor !== 'qemu')
    return {
      id: 'kvm',
      title,
      status: 'pass',
      measured: `${facts.kvm ? 'present' : 'absent'}; not needed (nova-lxd runs instances as containers)`,
    };
  if (facts.kvm)
    return { id: 'kvm', title, status: 'pass', measured: 'present: nova-compute can use qemu/kvm' };
  return {
    id: 'kvm',
    title,
    status: 'warn',
    measured: 'absent: nova-compute will fall back to slow qemu emulation',
    fix: 'Enable hardware virtualisation (or nested virtualisation for a VM) and load kvm_intel or kvm_amd.',
  };
}

function checkKernelModules(facts: HostFacts): CheckResult {
  const entries = Object.entries(facts.kernelModules);
  const missing = entries.filter(([, state]) => state === 'missing').map(([name]) => name);
  const title = 'Kernel modules';
  const measured = entries.map(([name, state]) => `${name} ${state}`).join(', ');
  if (missing.length === 0) return { id: 'kernel-modules', title, status: 'pass', measured };
  return {
    id: 'kernel-modules',
    title,
    status: 'fail',
    measured: `${measured}: LXD refuses to start a container whose linux.kernel_modules cannot be loaded`,
    fix: `Load them before deploying (\`modprobe ${missing.join(' ')}\`), or use a kernel that has them (install kmod and linux-modules-extra).`,
  };
}

function checkSysctl(key: string, value: string | undefined, minimum: number): CheckResult {
  const id = `sysctl:${key}`;
  const title = key;
  if (value === undefined) return { id, title, status: 'pass', measured: 'not present in this kernel' };
  if (Number(value) >= minimum)
    return { id, title, status: 'pass', measured: `${value} (at least ${minimum} needed)` };
  return {
    id,
    title,
    status: 'warn',
    measured: `${value}, below ${minimum}: dozens of containers hit this limit`,
    fix: `${lxcEquivalent.sysctlSet(key, String(minimum))} (and persist it in /etc/sysctl.d/)`,
    change: { kind: 'sysctl', key, value: String(minimum) },
  };
}

const DRIVER_WARNINGS: Record<string, string> = {
  zfs: 'ZFS datasets cannot be used by the LXD nested inside a container, and Ceph OSDs on ZFS-backed loop files are slow and fragile',
  btrfs:
    'btrfs subvolumes inside nested containers break the inner LXD and Ceph OSD directories; quotas misreport',
  lvm: 'LVM thin pools need block devices the nested LXD cannot get',
};

function checkPool(
  pool: LxdStoragePool | null | undefined,
  spec: LabSpec,
  insideContainer: boolean,
): CheckResult {
  const name = spec.lxd.storagePool;
  const title = `Storage pool ${name}`;
  if (!pool) {
    return {
      id: 'storage-pool',
      title,
      status: 'fail',
      measured: 'does not exist',
      fix: lxcEquivalent.storageCreate(name, 'dir'),
      change: { kind: 'lxd-pool', name, driver: 'dir' },
    };
  }
  const nested = spec.target.kind === 'nested-container' || insideContainer;
  const reason = DRIVER_WARNINGS[pool.driver];
  if (reason) {
    return {
      id: 'storage-pool',
      title,
      status: 'warn',
      measured: `driver ${pool.driver}: ${reason}`,
      fix: `Use a dir pool${nested ? ' (required when nesting)' : ''}: ${lxcEquivalent.storageCreate('lxdstack-dir', 'dir')} and set lxd.storagePool: lxdstack-dir in lab.yaml.`,
    };
  }
  if (pool.driver !== spec.lxd.storageDriver) {
    return {
      id: 'storage-pool',
      title,
      status: 'warn',
      measured: `driver ${pool.driver}, lab.yaml says ${spec.lxd.storageDriver}`,
      fix: 'Set lxd.storageDriver in lab.yaml to match the pool.',
    };
  }
  return {
    id: 'storage-pool',
    title,
    status: 'pass',
    measured: `driver ${pool.driver}${nested ? ' (right for nesting)' : ''}`,
  };
}

function checkSmoke(smoke: SmokeFact | undefined): CheckResult {
  const title = 'Container smoke';
  if (!smoke)
    return {
      id: 'container-smoke',
      title,
      status: 'fail',
      measured: 'not run',
      fix: 'Run doctor again; the smoke test did not start.',
    };
  const secs = `${Math.round(smoke.durationMs / 100) / 10} s`;
  if (smoke.ok)
    return {
      id: 'container-smoke',
      title,
      status: 'pass',
      measured: `launched ${smoke.image}, got IPv4 ${smoke.ipv4}, deleted (${secs})`,
    };
  return {
    id: 'container-smoke',
    title,
    status: 'fail',
    measured: `${smoke.error ?? 'failed'}${smoke.image ? ` (image ${smoke.image})` : ''}`,
    fix: smoke.image
      ? "Check the bridge's DHCP (dnsmasq-base installed, firewall allows DHCP on the bridge) and `lxc info --show-log` of a test container."
      : 'Import a local image (e.g. `lxc image copy ubuntu:22.04 local: --alias jammy`), or `bash scripts/lxd-up.sh` on a test machine.',
  };
}
