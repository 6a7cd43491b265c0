import { randomBytes } from 'node:crypto';
import type { OpenStackClient } from '../openstack/client.js';
import { InputError, errorMessage } from '../util/errors.js';
import { redactText } from '../util/redact.js';
import { CHECKS } from './checks/index.js';
import { InstancesFailure, Skip, type CheckContext, type SharedFacts, type SmokeCheck } from './registry.js';
import {
  type CheckResult,
  type Outcome,
  type SmokeInput,
  type SmokeReport,
  type SuiteName,
} from './types.js';

// The smoke suite: the registry's checks of one suite, each started as soon as the checks it needs have
// passed (so independent ones run concurrently), and skipped, naming the reason, when one of them did not.
// Everything the suite creates is registered and removed by the last check, also after a failure. Checks
// that need a data plane the cloud does not have (nova's fake driver, an agentless Neutron, no route to the
// floating network, or no cloud at all in a simulation) are SKIPPED with the reason, never passed.

/** The checks of each suite, in report order (juju checks come first, cleanup last). */
const namesOf = (suite: SuiteName) => CHECKS.filter((c) => c.suites.includes(suite)).map((c) => c.name);
export const SUITE_CHECKS: Record<SuiteName, readonly string[]> = {
  quick: namesOf('quick'),
  full: namesOf('full'),
  compute: namesOf('compute'),
};

const BUDGET = { bootMs: 120_000, computeMs: 300_000, cleanupMs: 120_000 };

class Recorder {
  private readonly results = new Map<string, CheckResult>();
  constructor(private readonly secrets: readonly string[]) {}

  async run(check: SmokeCheck, ctx: CheckContext): Promise<void> {
    const started = Date.now();
    const result: CheckResult = { name: check.name, group: check.group, outcome: 'pass', durationMs: 0 };
    try {
      const output = await check.run(ctx);
      if (typeof output === 'string') result.detail = output;
      else Object.assign(result, output);
    } catch (error) {
      if (error instanceof Skip) {
        result.outcome = 'skip';
        result.detail = error.message;
      } else {
        result.outcome = 'fail';
        result.cause = errorMessage(error);
        if (error instanceof InstancesFailure) result.instances = error.instances;
      }
    }
    this.put({ ...result, durationMs: Date.now() - started });
  }

  skip(check: Pick<SmokeCheck, 'name' | 'group'>, reason: string): void {
    this.put({ name: check.name, group: check.group, outcome: 'skip', durationMs: 0, detail: reason });
  }

  outcome(name: string): Outcome | undefined {
    return this.results.get(name)?.outcome;
  }

  put(result: CheckResult): void {
    const clean = { ...result };
    if (clean.detail === undefined) delete clean.detail;
    else clean.detail = redactText(clean.detail, this.secrets);
    if (clean.cause === undefined) delete clean.cause;
    else clean.cause = redactText(clean.cause, this.secrets);
    this.results.set(result.name, clean);
  }

  ordered(order: readonly string[]): CheckResult[] {
    return order.flatMap((name) => this.results.get(name) ?? []);
  }
}

function summarise(checks: readonly CheckResult[]): SmokeReport['summary'] {
  return {
    pass: checks.filter((c) => c.outcome === 'pass').length,
    fail: checks.filter((c) => c.outcome === 'fail').length,
    skip: checks.filter((c) => c.outcome === 'skip').length,
  };
}

export async function runSmokeSuite(input: SmokeInput): Promise<SmokeReport> {
  const startedAt = new Date();
  const client = input.client;
  if (!client && !input.simulated)
    throw new InputError('The smoke suite needs an OpenStack client, or a simulation.');
  const rec = new Recorder(client?.secrets ?? []);
  const checks = CHECKS.filter((c) => c.suites.includes(input.suite));
  const order = [...(input.jujuChecks ?? []).map((j) => j.name), ...checks.map((c) => c.name)];

  for (const juju of input.jujuChecks ?? []) {
    rec.put({
      name: juju.name,
      group: 'juju',
      outcome: juju.ok ? 'pass' : 'fail',
      durationMs: 0,
      ...(juju.ok ? { detail: juju.detail } : { cause: juju.detail ?? 'not ready' }),
    });
  }

  if (!client) {
    for (const check of checks)
      rec.skip(check, 'SIMULATION: there is no OpenStack endpoint to test, so this check did not run.');
  } else {
    await runChecks(checks, checkContext(client, input), rec);
  }

  const results = rec.ordered(order);
  const summary = summarise(results);
  return {
    suite: input.suite,
    simulated: input.simulated ?? false,
    cloud: client?.credentials.authUrl ?? 'simulation',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    checks: results,
    summary,
    ok: summary.fail === 0,
  };
}

function checkContext(client: OpenStackClient, input: SmokeInput): CheckContext {
  const facts: SharedFacts = {};
  const created = { servers: new Set<string>(), floatingIps: new Set<string>() };
  let networks: Promise<NonNullable<SharedFacts['networks']>> | undefined;
  return {
    client,
    input,
    budget: { ...BUDGET, ...input.budgetMs },
    tag: `${input.namePrefix ?? 'lxdstack-smoke'}-${randomBytes(3).toString('hex')}`,
    facts,
    created,
    ...(input.signal ? { signal: input.signal } : {}),
    async boot(name, userData) {
      facts.networks = await (networks ??= chooseNetworks(client, input.tenantNetworkName ?? 'ubuntu-net'));
      const server = await client.createServer({
        name,
        imageRef: facts.imageId!,
        flavorRef: facts.flavorId!,
        networks: facts.networks,
        ...(facts.keypairName ? { keyName: facts.keypairName } : {}),
        ...(userData === undefined ? {} : { userData }),
      });
      created.servers.add(server.id);
      return server.id;
    },
  };
}

async function chooseNetworks(
  client: OpenStackClient,
  tenantNetworkName: string,
): Promise<'none' | 'auto' | { uuid: string }[]> {
  // an agentless Neutron cannot bind ports: boot without one
  if ((await client.listAgents()).length === 0) return 'none';
  const tenant = (await client.listNetworks({ name: tenantNetworkName }))[0];
  return tenant ? [{ uuid: tenant.id }] : 'auto';
}

/** Run each check once the checks it needs (in this suite) have finished; the last ones after all others. */
async function runChecks(checks: readonly SmokeCheck[], ctx: CheckContext, rec: Recorder): Promise<void> {
  const inSuite = new Map(checks.map((c) => [c.name, c]));
  const started = new Map<string, Promise<void>>();
  // a check skipped for want of another passes that root reason on to the checks that need it
  const notRun = new Map<string, string>();
  const start = (check: SmokeCheck): Promise<void> => {
    let running = started.get(check.name);
    if (!running) {
      running = (async () => {
        const needs = check.needs.flatMap((name) => inSuite.get(name) ?? []);
        await Promise.all(needs.map(start));
        const blocker = needs.find((need) => rec.outcome(need.name) !== 'pass');
        if (blocker) {
          const reason = notRun.get(blocker.name) ?? blocker.blocks;
          notRun.set(check.name, reason);
          rec.skip(check, `not run: ${reason}.`);
        } else await rec.run(check, ctx);
      })();
      started.set(check.name, running);
    }
    return running;
  };
  const [last, first] = partition(checks, (c) => c.last === true);
  try {
    await Promise.all(first.map(start));
  } finally {
    for (const check of last) await start(check);
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
