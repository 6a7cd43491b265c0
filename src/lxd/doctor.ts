import { DEFAULT_ANSWERS_FILE, labStateDir } from '../util/paths.js';
import type { LabSpec } from '../lab/schema.js';
import type { LxdClient } from './client.js';
import { evaluateChecks, requiredKernelModules, type CheckResult, type HostFacts } from './checks.js';
import * as probes from './probes.js';
import { probeLabFacts } from './lab-probes.js';

// The doctor as a function: every probe at once (each bounded by its own timeout), then the pure
// judgement. Deploy's preflight step calls this too.

export interface DoctorInput {
  spec: LabSpec;
  /** `optional` when the lab is simulated: a missing juju is then a warning. Default `needed`. */
  juju?: 'needed' | 'optional';
  containerSmoke: boolean;
  env?: NodeJS.ProcessEnv;
  /** The lab's state folder (the staging folder is named after it); default: lab.yaml's in the current folder. */
  labDirectory?: string;
}

/** The probes, replaceable in tests with recorded answers. */
export interface DoctorProbes {
  os: typeof probes.probeOs;
  cpuMemory: typeof probes.probeCpuMemory;
  lxdPackages: typeof probes.probeLxdPackages;
  socket: typeof probes.probeSocket;
  server: typeof probes.probeServer;
  juju: typeof probes.probeJuju;
  conjureUp: typeof probes.probeConjureUp;
  virtualization: typeof probes.probeVirtualization;
  kvm: typeof probes.probeKvm;
  sysctl: typeof probes.probeSysctl;
  kernelModules: typeof probes.probeKernelModules;
  bridge: typeof probes.probeBridge;
  pool: typeof probes.probePool;
  containerSmoke: typeof probes.probeContainerSmoke;
  labFacts: typeof probeLabFacts;
}

export const hostProbes: DoctorProbes = {
  os: probes.probeOs,
  cpuMemory: probes.probeCpuMemory,
  lxdPackages: probes.probeLxdPackages,
  socket: probes.probeSocket,
  server: probes.probeServer,
  juju: probes.probeJuju,
  conjureUp: probes.probeConjureUp,
  virtualization: probes.probeVirtualization,
  kvm: probes.probeKvm,
  sysctl: probes.probeSysctl,
  kernelModules: probes.probeKernelModules,
  bridge: probes.probeBridge,
  pool: probes.probePool,
  containerSmoke: probes.probeContainerSmoke,
  labFacts: probeLabFacts,
};

export async function gatherFacts(
  input: DoctorInput,
  deps: { client: LxdClient; probes?: Partial<DoctorProbes> },
): Promise<HostFacts> {
  const p = { ...hostProbes, ...deps.probes };
  const { spec, env = process.env } = input;
  const { client } = deps;
  const server = p.server(client);
  // LXD-side probes only once the daemon answered; the smoke test runs alongside the rest.
  const lxd = server.then(async (answer) => {
    if ('error' in answer) return {};
    const [bridge, pool, smoke] = await Promise.all([
      p.bridge(client, spec.lxd.bridge),
      p.pool(client, spec.lxd.storagePool),
      input.containerSmoke ? p.containerSmoke(client, spec) : Promise.resolve(undefined),
    ]);
    return { bridge, ...pool, ...(smoke ? { smoke } : {}) };
  });
  const [
    os,
    cpuMemory,
    lxdPackages,
    socket,
    serverFact,
    juju,
    conjureUp,
    virtualization,
    kvm,
    sysctl,
    kernelModules,
    lxdFacts,
    lab,
  ] = await Promise.all([
    p.os(),
    p.cpuMemory(),
    p.lxdPackages(),
    p.socket(client.socketPath),
    server,
    p.juju(env),
    spec.engine === 'conjure-up' ? p.conjureUp(env) : Promise.resolve(undefined),
    p.virtualization(),
    p.kvm(),
    p.sysctl(),
    p.kernelModules(requiredKernelModules(spec), env),
    lxd,
    p.labFacts(spec, env, input.labDirectory ?? labStateDir(DEFAULT_ANSWERS_FILE, spec.name)),
  ]);
  return {
    os,
    ...cpuMemory,
    lxdPackages,
    socket,
    server: serverFact,
    juju,
    ...(conjureUp ? { conjureUp } : {}),
    virtualization,
    kvm,
    sysctl,
    kernelModules,
    proxy: probes.probeProxy(spec, env),
    lab,
    ...lxdFacts,
  };
}

/** Measure the host and judge it: one result per check, pass, warn or fail, each with its fix. */
export async function runDoctorChecks(
  input: DoctorInput,
  deps: { client: LxdClient; probes?: Partial<DoctorProbes> },
): Promise<CheckResult[]> {
  const facts = await gatherFacts(input, deps);
  return evaluateChecks(input.spec, facts, {
    juju: input.juju ?? 'needed',
    containerSmoke: input.containerSmoke,
  });
}
