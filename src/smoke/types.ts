import type { OpenStackClient } from '../openstack/client.js';

// The smoke suite's input and its report: plain data, so reports can be rendered and tested without a cloud.

export const SUITES = ['quick', 'full', 'compute'] as const;
export type SuiteName = (typeof SUITES)[number];

export type Outcome = 'pass' | 'fail' | 'skip';

/** What nova reports as a hypervisor's type: lxd (nova-lxd), qemu (kvm or qemu), lxc (libvirt-LXC), fake. */
export type HypervisorType = 'lxd' | 'qemu' | 'lxc' | 'fake';

/** One instance of the compute check: what it was asked, what it answered, where and how fast. */
export interface InstanceResult {
  index: number;
  name: string;
  id?: string;
  /** The computation, in words. */
  task: string;
  expected: string;
  /** What its console printed after its marker; absent while (or when) nothing was printed. */
  result?: string;
  ok: boolean;
  /** The compute host Nova placed it on (admin credentials see it). */
  host?: string;
  /** From POST /servers to ACTIVE. */
  bootMs?: number;
  /** From POST /servers to the result on the console. */
  resultMs?: number;
  /** Why it has no right result, when it has none. */
  error?: string;
}

export interface CheckResult {
  name: string;
  /** juju | identity | compute | image | network | instance | cluster | cleanup */
  group: string;
  outcome: Outcome;
  durationMs: number;
  /** What was seen (pass), or why it was skipped. */
  detail?: string;
  /** Why it failed, as a sentence saying what to do. */
  cause?: string;
  /** The compute check's instances, one by one. */
  instances?: InstanceResult[];
}

/** A Juju-level check the caller derived from `juju status` (src/juju's digest), passed in as data. */
export interface JujuCheckInput {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface SmokeBudget {
  /** One instance from POST to ACTIVE (default 120 s). */
  bootMs?: number;
  /** The computations' results appearing on the consoles (default 300 s). */
  computeMs?: number;
  /** Removing what the suite created (default 120 s). */
  cleanupMs?: number;
}

export interface SmokeInput {
  suite: SuiteName;
  /** Absent only in a simulation: every API check is then skipped, saying so. */
  client?: OpenStackClient;
  simulated?: boolean;
  jujuChecks?: readonly JujuCheckInput[];
  /** What nova should report: lxd for the nova-lxd profiles, qemu for modern; absent = any type. */
  hypervisorType?: HypervisorType;
  computeCount: number;
  /** Instances of the compute check (default max(2, computeCount)). */
  instanceCount?: number;
  budgetMs?: SmokeBudget;
  /**
   * Names from the post-deploy configuration (or --image/--flavor). Absent: the only active image (several
   * fail the image check, asking for a name), the smallest flavor, no keypair check.
   */
  imageName?: string;
  flavorName?: string;
  keypairName?: string;
  externalNetworkName?: string;
  tenantNetworkName?: string;
  /** True when this host routes to the floating network, so ping and SSH can be tried. */
  floatingNetworkReachable?: boolean;
  /** Prefix of everything the suite creates, so leftovers are recognisable. */
  namePrefix?: string;
  signal?: AbortSignal;
}

export interface SmokeReport {
  suite: SuiteName;
  simulated: boolean;
  /** The identity endpoint checked (never credentials). */
  cloud: string;
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
  summary: { pass: number; fail: number; skip: number };
  ok: boolean;
}
