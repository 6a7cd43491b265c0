import type { OpenStackClient, Server } from '../openstack/client.js';
import { InterruptedError } from '../util/errors.js';
import type { ComputeTask } from './compute.js';
import type { InstanceResult, SmokeBudget, SmokeInput, SuiteName } from './types.js';

// What a smoke check is: one entry (its name, its group, the checks it needs, its suites, and how it runs),
// defined in a file of its own under checks/. The runner (suite.ts) starts each check once the checks it
// needs have passed, and skips it, naming them, when one did not.

/** Thrown inside a check to record it as skipped, with the reason. */
export class Skip extends Error {}

/** A failure that still carries the compute check's instances, for the reports. */
export class InstancesFailure extends Error {
  constructor(
    message: string,
    readonly instances: InstanceResult[],
  ) {
    super(message);
  }
}

/** What a check found or made, for the checks that need it. Filled as checks pass. */
export interface SharedFacts {
  imageId?: string;
  flavorId?: string;
  keypairName?: string;
  /** Why instances have no data plane to test (nova's fake driver), if so. */
  noDataPlane?: string;
  /** The instance of the instance-* checks. */
  server?: Server;
  /** How the instances were attached: none (agentless Neutron), auto, or the tenant network. */
  networks?: 'none' | 'auto' | { uuid: string }[];
  floatingAddress?: string;
  /** The compute check's tasks and instances, by index. */
  compute?: { tasks: ComputeTask[]; instances: InstanceResult[]; postedAt: number[] };
}

export interface CheckContext {
  client: OpenStackClient;
  input: SmokeInput;
  budget: Required<SmokeBudget>;
  /** Prefix of everything this run creates (`<namePrefix>-<random>`). */
  tag: string;
  facts: SharedFacts;
  /** Every instance and floating IP created, for the clean-up (also after a failure). */
  created: { servers: Set<string>; floatingIps: Set<string> };
  /** Boot one instance of the found image and flavor; it is registered for the clean-up. */
  boot(name: string, userData?: string): Promise<string>;
  signal?: AbortSignal;
}

/** A passed check's detail, or the detail with the compute check's instances. */
export type CheckOutput = string | { detail: string; instances: InstanceResult[] };

export interface SmokeCheck {
  name: string;
  /** identity | compute | image | network | instance | cluster | cleanup */
  group: string;
  /** The suites that run it. */
  suites: readonly SuiteName[];
  /** Checks that must have passed first (those of the same suite); otherwise this one is skipped. */
  needs: readonly string[];
  /** The reason a check that needs this one gives when this one did not pass. */
  blocks: string;
  /** Runs after every other check of the suite, whatever their outcome (the clean-up). */
  last?: boolean;
  run(ctx: CheckContext): Promise<CheckOutput>;
}

/** Waits between polls; Ctrl-C ends the wait (the suite's clean-up still runs, without a signal). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new InterruptedError();
  await new Promise((resolve) => setTimeout(resolve, ms));
  if (signal?.aborted) throw new InterruptedError();
}

export async function waitActive(
  client: OpenStackClient,
  id: string,
  budgetMs: number,
  signal?: AbortSignal,
): Promise<Server> {
  const deadline = Date.now() + budgetMs;
  let last: Server | undefined;
  while (Date.now() < deadline) {
    last = await client.getServer(id);
    if (!last) throw new Error(`instance ${id} disappeared while booting`);
    if (last.status === 'ACTIVE') return last;
    if (last.status === 'ERROR') {
      throw new Error(
        `instance ${last.name} went to ERROR: ${last.fault?.message ?? 'nova gave no fault'}; read nova-conductor's and nova-compute's logs.`,
      );
    }
    // once a second: ten instances polled faster would load nova-api on a small host more than they learn
    await sleep(1000, signal);
  }
  throw new Error(
    `instance ${last?.name ?? id} was still ${last?.status ?? 'unknown'} after ${Math.round(budgetMs / 1000)} s; the compute host is slow or stuck, read nova-compute's log.`,
  );
}
