import { randomBytes } from 'node:crypto';
import type { OpenStackClient, Server } from '../openstack/client.js';
import { InputError, InterruptedError, errorMessage } from '../util/errors.js';
import { redactText } from '../util/redact.js';
import { cloudInitFinished, computeTask, findResult } from './compute.js';
import { probePing, probeSsh } from './probes.js';
import type { CheckResult, Outcome, SmokeInput, SmokeReport, SuiteName } from './types.js';

// The smoke suite: checks grouped in phases; the checks of one phase run concurrently. Everything the suite
// creates is registered and removed at the end, also after a failed check. Checks that need a data plane
// the cloud does not have (nova's fake driver, an agentless Neutron, no route to the floating network, or
// no cloud at all in a simulation) are SKIPPED with the reason, never passed.

/** Thrown inside a check to record it as skipped. */
class Skip extends Error {}

const REQUIRED_SERVICES = ['identity', 'compute', 'image', 'network'] as const;

/** The checks that boot instances, in report order: they need an image and a flavor. */
const BOOT_CHECKS = [
  'instance-boot',
  'instance-console',
  'floating-ip',
  'ping',
  'ssh',
  'compute-boot',
  'compute-results',
] as const;

/** The API checks of each suite, in report order (juju checks come first, cleanup last). */
export const SUITE_CHECKS: Record<SuiteName, readonly string[]> = {
  quick: ['auth-catalog', 'compute-services', 'network-agents', 'hypervisors', 'image', 'flavor', 'keypair'],
  full: [
    'auth-catalog',
    'compute-services',
    'network-agents',
    'hypervisors',
    'image',
    'flavor',
    'keypair',
    ...BOOT_CHECKS,
    'cleanup',
  ],
  compute: ['auth-catalog', 'hypervisors', 'image', 'flavor', 'compute-boot', 'compute-results', 'cleanup'],
};

const GROUPS: Record<string, string> = {
  'auth-catalog': 'identity',
  'compute-services': 'compute',
  hypervisors: 'compute',
  flavor: 'compute',
  keypair: 'compute',
  'network-agents': 'network',
  image: 'image',
  'instance-boot': 'instance',
  'instance-console': 'instance',
  'floating-ip': 'instance',
  ping: 'instance',
  ssh: 'instance',
  'compute-boot': 'cluster',
  'compute-results': 'cluster',
  cleanup: 'cleanup',
};

/** Waits between polls; Ctrl-C ends the wait (the suite's clean-up still runs, without a signal). */
async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new InterruptedError();
  await new Promise((resolve) => setTimeout(resolve, ms));
  if (signal?.aborted) throw new InterruptedError();
}

class Recorder {
  private readonly results = new Map<string, CheckResult>();
  constructor(private readonly secrets: readonly string[]) {}

  async run(name: string, fn: () => Promise<string>): Promise<boolean> {
    const started = Date.now();
    let outcome: Outcome = 'pass';
    let detail: string | undefined;
    let cause: string | undefined;
    try {
      detail = await fn();
    } catch (error) {
      if (error instanceof Skip) {
        outcome = 'skip';
        detail = error.message;
      } else {
        outcome = 'fail';
        cause = errorMessage(error);
      }
    }
    this.put({
      name,
      group: GROUPS[name] ?? 'juju',
      outcome,
      durationMs: Date.now() - started,
      detail,
      cause,
    });
    return outcome === 'pass';
  }

  skip(name: string, reason: string): void {
    this.put({ name, group: GROUPS[name] ?? 'juju', outcome: 'skip', durationMs: 0, detail: reason });
  }

  has(name: string): boolean {
    return this.results.has(name);
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
    const rank = (name: string) => {
      const at = order.indexOf(name);
      return at < 0 ? -1 : at;
    };
    return [...this.results.values()].sort((a, b) => rank(a.name) - rank(b.name));
  }
}

/** What the read checks found, for the checks that boot. */
interface Found {
  imageId?: string;
  flavorId?: string;
  keypairName?: string;
  /** Why there is no data plane to test (the fake driver), if so. */
  noDataPlane?: string;
  networks?: 'none' | 'auto' | { uuid: string }[];
}

interface Created {
  servers: Set<string>;
  floatingIps: Set<string>;
}

async function waitActive(
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
    await sleep(500, signal);
  }
  throw new Error(
    `instance ${last?.name ?? id} was still ${last?.status ?? 'unknown'} after ${Math.round(budgetMs / 1000)} s; the compute host is slow or stuck, read nova-compute's log.`,
  );
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
  const order = [...(input.jujuChecks ?? []).map((j) => j.name), ...SUITE_CHECKS[input.suite]];

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
    for (const name of SUITE_CHECKS[input.suite])
      rec.skip(name, 'SIMULATION: there is no OpenStack endpoint to test, so this check did not run.');
  } else {
    await runApiChecks(client, input, rec);
  }

  const checks = rec.ordered(order);
  const summary = summarise(checks);
  return {
    suite: input.suite,
    simulated: input.simulated ?? false,
    cloud: client?.credentials.authUrl ?? 'simulation',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    checks,
    summary,
    ok: summary.fail === 0,
  };
}

async function runApiChecks(client: OpenStackClient, input: SmokeInput, rec: Recorder): Promise<void> {
  const wanted = new Set(SUITE_CHECKS[input.suite]);
  const found: Found = {};
  const created: Created = { servers: new Set(), floatingIps: new Set() };
  const budget = { bootMs: 120_000, computeMs: 300_000, cleanupMs: 120_000, ...input.budgetMs };
  const tag = `${input.namePrefix ?? 'lxdstack-smoke'}-${randomBytes(3).toString('hex')}`;

  const authOk = await rec.run('auth-catalog', async () => {
    const token = await client.authenticate();
    const types = token.catalog.map((e) => e.type);
    const missing = REQUIRED_SERVICES.filter((t) => !types.includes(t));
    if (missing.length > 0)
      throw new Error(
        `the catalog lacks ${missing.join(', ')} (it has ${types.join(', ')}); register those services' endpoints in Keystone.`,
      );
    const urls = await Promise.all(REQUIRED_SERVICES.map(async (t) => `${t}=${await client.endpoint(t)}`));
    return `token for project ${token.projectId}, roles ${token.roles.join(',')}; ${urls.join(' ')}`;
  });
  if (!authOk) {
    for (const name of wanted)
      if (!rec.has(name)) rec.skip(name, 'not run: authentication or the catalog failed (see auth-catalog).');
    return;
  }

  const reads: Record<string, () => Promise<string>> = {
    'compute-services': async () => {
      const services = await client.listComputeServices();
      const down = services.filter((s) => s.status === 'enabled' && s.state !== 'up');
      if (services.length === 0)
        throw new Error('nova lists no services; check nova-conductor, nova-scheduler and nova-compute.');
      if (down.length > 0)
        throw new Error(
          `down: ${down.map((s) => `${s.binary}@${s.host}`).join(', ')}; start them and check their logs.`,
        );
      return `${services.length} up: ${services.map((s) => `${s.binary}@${s.host}`).join(', ')}`;
    },
    'network-agents': async () => {
      const agents = await client.listAgents();
      if (agents.length === 0)
        throw new Skip('Neutron reports no agents (an API-only Neutron), so there is nothing to check.');
      const dead = agents.filter((a) => a.admin_state_up && !a.alive);
      if (dead.length > 0)
        throw new Error(
          `not alive: ${dead.map((a) => `${a.agent_type}@${a.host}`).join(', ')}; restart them and read their logs.`,
        );
      return `${agents.length} alive: ${agents.map((a) => `${a.agent_type}@${a.host}`).join(', ')}`;
    },
    hypervisors: async () => {
      const hypervisors = await client.listHypervisors();
      if (hypervisors.length === 0)
        throw new Error(
          'nova reports no hypervisors; is nova-compute running and mapped to a cell (nova-manage cell_v2 discover_hosts)?',
        );
      const down = hypervisors.filter((h) => h.state !== 'up');
      if (down.length > 0)
        throw new Error(
          `down: ${down.map((h) => h.hypervisor_hostname).join(', ')}; check nova-compute there.`,
        );
      const types = [...new Set(hypervisors.map((h) => (h.hypervisor_type ?? 'unknown').toLowerCase()))];
      if (types.includes('fake'))
        found.noDataPlane =
          "the hypervisor is nova's fake driver: instances have no console output and no network";
      if (input.hypervisorType) {
        const accepted = input.hypervisorType === 'qemu' ? ['qemu', 'kvm'] : [input.hypervisorType];
        const wrong = types.filter((t) => !accepted.includes(t));
        if (wrong.length > 0)
          throw new Error(
            `hypervisor type ${wrong.join(', ')} where ${input.hypervisorType} was expected; check nova-compute's virt driver configuration.`,
          );
      }
      if (input.computeCount > hypervisors.length) {
        throw new Error(
          `${hypervisors.length} hypervisor(s) up, ${input.computeCount} expected; check the missing nova-compute units.`,
        );
      }
      return `${hypervisors.length} up, type ${types.join(', ')}`;
    },
    image: async () => {
      const images = await client.listImages(input.imageName ? { name: input.imageName } : {});
      const active = images.find((i) => i.status === 'active');
      if (!active) {
        if (input.imageName && images.length > 0)
          throw new Error(
            `image ${input.imageName} is ${images.map((i) => i.status).join(', ')}, not active; upload it again (lxdstack deploy re-runs the configuration).`,
          );
        throw new Error(
          input.imageName
            ? `there is no image ${input.imageName}; run the post-deploy configuration.`
            : 'there is no active image; upload one.',
        );
      }
      found.imageId = active.id;
      return `${active.name} (${active.id}) active, ${active.disk_format ?? '?'}, ${active.size ?? '?'} bytes`;
    },
    flavor: async () => {
      const flavors = await client.listFlavors();
      const flavor = input.flavorName
        ? flavors.find((f) => f.name === input.flavorName)
        : [...flavors].sort((a, b) => a.ram - b.ram || a.vcpus - b.vcpus)[0];
      if (!flavor)
        throw new Error(
          input.flavorName
            ? `there is no flavor ${input.flavorName}; run the post-deploy configuration.`
            : 'there are no flavors; create one.',
        );
      found.flavorId = flavor.id;
      return `${flavor.name}: ${flavor.vcpus} vCPU, ${flavor.ram} MiB, ${flavor.disk} GiB`;
    },
    keypair: async () => {
      const keypairs = await client.listKeypairs();
      if (!input.keypairName)
        throw new Skip(`no keypair name given to look for (${keypairs.length} keypair(s) exist).`);
      const keypair = keypairs.find((k) => k.name === input.keypairName);
      if (!keypair)
        throw new Error(`there is no keypair ${input.keypairName}; run the post-deploy configuration.`);
      found.keypairName = keypair.name;
      return `${keypair.name} ${keypair.fingerprint}`;
    },
  };
  await Promise.all(
    Object.entries(reads)
      .filter(([name]) => wanted.has(name))
      .map(([name, fn]) => rec.run(name, fn)),
  );

  if (!wanted.has('instance-boot') && !wanted.has('compute-boot')) return;
  try {
    await bootChecks(client, input, rec, found, created, budget, tag, wanted);
  } finally {
    await rec.run('cleanup', () => cleanup(client, created, budget.cleanupMs, tag));
  }
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

async function bootChecks(
  client: OpenStackClient,
  input: SmokeInput,
  rec: Recorder,
  found: Found,
  created: Created,
  budget: Required<NonNullable<SmokeInput['budgetMs']>>,
  tag: string,
  wanted: Set<string>,
): Promise<void> {
  const bootNames = BOOT_CHECKS.filter((n) => wanted.has(n));
  if (!found.imageId || !found.flavorId) {
    for (const name of bootNames)
      rec.skip(name, 'not run: no usable image or flavor (see the image and flavor checks).');
    return;
  }
  const networks = await chooseNetworks(client, input.tenantNetworkName ?? 'ubuntu-net');
  const boot = async (name: string, userData?: string) => {
    const server = await client.createServer({
      name,
      imageRef: found.imageId!,
      flavorRef: found.flavorId!,
      networks,
      ...(found.keypairName ? { keyName: found.keypairName } : {}),
      ...(userData === undefined ? {} : { userData }),
    });
    created.servers.add(server.id);
    return server.id;
  };

  const instanceChain = async () => {
    let server: Server | undefined;
    const booted = await rec.run('instance-boot', async () => {
      const started = Date.now();
      server = await waitActive(client, await boot(`${tag}-vm`), budget.bootMs, input.signal);
      return `${server.name} ACTIVE in ${((Date.now() - started) / 1000).toFixed(1)} s on ${server['OS-EXT-SRV-ATTR:host'] ?? 'its host'}, networks: ${typeof networks === 'string' ? networks : 'tenant'}`;
    });
    if (!booted || !server) {
      for (const name of ['instance-console', 'floating-ip', 'ping', 'ssh'])
        rec.skip(name, 'not run: the instance did not boot (see instance-boot).');
      return;
    }
    const id = server.id;
    await rec.run('instance-console', async () => {
      const output = await client.getConsoleOutput(id, 200);
      if (found.noDataPlane)
        throw new Skip(
          `${found.noDataPlane}; the console API answered (${output.split('\n').length} lines) but cannot show cloud-init.`,
        );
      const deadline = Date.now() + budget.computeMs;
      for (let text = output; ; text = await client.getConsoleOutput(id, 200)) {
        if (cloudInitFinished(text)) return 'cloud-init finished (seen on the console)';
        if (Date.now() > deadline)
          throw new Error(
            `cloud-init did not report finishing on the console within ${budget.computeMs / 1000} s; read the console log (openstack console log show).`,
          );
        await sleep(3000, input.signal);
      }
    });
    let floatingAddress: string | undefined;
    await rec.run('floating-ip', async () => {
      const external = input.externalNetworkName
        ? (await client.listNetworks({ name: input.externalNetworkName }))[0]
        : (await client.listNetworks({ external: true }))[0];
      if (!external)
        throw new Error(
          `there is no external network${input.externalNetworkName ? ` ${input.externalNetworkName}` : ''}; run the post-deploy configuration.`,
        );
      const port = (await client.listPorts({ deviceId: id }))[0];
      const fip = await client.createFloatingIp({
        floatingNetworkId: external.id,
        ...(port ? { portId: port.id } : {}),
      });
      created.floatingIps.add(fip.id);
      if (!port) {
        floatingAddress = undefined;
        return `allocated ${fip.floating_ip_address} from ${external.name}; not associated: the instance has no port (booted without a network)`;
      }
      floatingAddress = fip.floating_ip_address;
      return `${fip.floating_ip_address} from ${external.name} associated with the instance`;
    });
    const reachability = (): string | undefined => {
      if (found.noDataPlane) return found.noDataPlane;
      if (!floatingAddress) return 'no floating IP is associated with the instance';
      if (!input.floatingNetworkReachable) return 'this host has no route to the floating network';
      return undefined;
    };
    await Promise.all([
      rec.run('ping', async () => {
        const why = reachability();
        if (why) throw new Skip(`${why}, so ping cannot be tried.`);
        return probePing(floatingAddress!, budget.bootMs);
      }),
      rec.run('ssh', async () => {
        const why = reachability();
        if (why) throw new Skip(`${why}, so SSH cannot be tried.`);
        return probeSsh(floatingAddress!, budget.bootMs);
      }),
    ]);
  };

  const computeChain = async () => {
    const count = input.instanceCount ?? Math.max(2, input.computeCount);
    const tasks = Array.from({ length: count }, (_, index) => computeTask(tag, index));
    const ids: string[] = [];
    const booted = await rec.run('compute-boot', async () => {
      const started = Date.now();
      const settled = await Promise.allSettled(
        tasks.map(async (task) => {
          const id = await boot(`${tag}-compute-${task.index}`, task.userData);
          ids[task.index] = id;
          return waitActive(client, id, budget.bootMs, input.signal);
        }),
      );
      const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed.length > 0)
        throw new Error(
          `${failed.length} of ${count} instances did not become ACTIVE: ${failed.map((f) => errorMessage(f.reason)).join(' | ')}`,
        );
      return `${count} instances ACTIVE in ${((Date.now() - started) / 1000).toFixed(1)} s, each with its own computation in cloud-init`;
    });
    await rec.run('compute-results', async () => {
      if (!booted) throw new Skip('not run: the instances did not boot (see compute-boot).');
      const outputs = await Promise.all(ids.map((id) => client.getConsoleOutput(id)));
      if (found.noDataPlane)
        throw new Skip(
          `${found.noDataPlane}; boot, ACTIVE and delete were checked, the ${count} results cannot appear on a console.`,
        );
      const deadline = Date.now() + budget.computeMs;
      for (let texts = outputs; ; texts = await Promise.all(ids.map((id) => client.getConsoleOutput(id)))) {
        const results = tasks.map((t, i) => findResult(texts[i] ?? '', t.marker));
        const wrong = tasks.filter((t, i) => results[i] !== undefined && results[i] !== t.expected);
        if (wrong.length > 0)
          throw new Error(
            `wrong results: ${wrong.map((t) => `instance ${t.index} printed ${results[t.index]}, expected ${t.expected}`).join('; ')}.`,
          );
        if (results.every((r) => r !== undefined))
          return `${count} results verified (${tasks.map((t) => t.expected).join(', ')})`;
        if (Date.now() > deadline) {
          const missing = tasks.filter((_, i) => results[i] === undefined).map((t) => t.index);
          throw new Error(
            `no result on the console of instance(s) ${missing.join(', ')} within ${budget.computeMs / 1000} s; read their console logs.`,
          );
        }
        await sleep(3000, input.signal);
      }
    });
  };

  await Promise.all([
    wanted.has('instance-boot') ? instanceChain() : undefined,
    wanted.has('compute-boot') ? computeChain() : undefined,
  ]);
}

async function cleanup(
  client: OpenStackClient,
  created: Created,
  budgetMs: number,
  tag: string,
): Promise<string> {
  // a POST that timed out may still have created its server: find those by the run's name prefix
  for (const server of await client.listServers(`^${tag}-`)) created.servers.add(server.id);
  if (created.servers.size === 0 && created.floatingIps.size === 0) return 'nothing was created';
  const problems: string[] = [];
  await Promise.all(
    [...created.floatingIps].map((id) =>
      client
        .deleteFloatingIp(id)
        .catch((e: unknown) => problems.push(`floating IP ${id}: ${errorMessage(e)}`)),
    ),
  );
  await Promise.all(
    [...created.servers].map((id) =>
      client.deleteServer(id).catch((e: unknown) => problems.push(`instance ${id}: ${errorMessage(e)}`)),
    ),
  );
  const deadline = Date.now() + budgetMs;
  let remaining = [...created.servers];
  while (remaining.length > 0 && Date.now() < deadline) {
    const still = await Promise.all(
      remaining.map(async (id) => ((await client.getServer(id)) ? id : undefined)),
    );
    remaining = still.filter((id): id is string => id !== undefined);
    if (remaining.length > 0) await sleep(500);
  }
  if (remaining.length > 0)
    problems.push(`instance(s) ${remaining.join(', ')} still exist after ${budgetMs / 1000} s`);
  if (problems.length > 0)
    throw new Error(`clean-up incomplete: ${problems.join('; ')}; delete them by hand.`);
  return `deleted ${created.servers.size} instance(s) (gone: GET answers 404) and ${created.floatingIps.size} floating IP(s)`;
}
