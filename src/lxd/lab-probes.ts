import { readFile, stat } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { LabSpec } from '../lab/schema.js';
import {
  invokingUser,
  isStrictSnap,
  resolveOnPath,
  snapHomeProblem,
  stagingDirectory,
} from '../util/snap.js';
import type { LabFacts } from './lab-checks.js';

// The doctor's probes for the lab's own needs: the host's IPv4 networks (the external CIDR must not
// overlap one), the OSD block devices, and where a strictly confined juju reads the lab's files. Each
// reads local facts only and never throws.

const FILE_TIMEOUT_MS = 2_000;

/** Every IPv4 network on this host's interfaces, as `address/prefix`. */
export function probeHostNetworks(): LabFacts['hostNetworks'] {
  return Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
    (addresses ?? [])
      .filter((a) => a.family === 'IPv4' && !a.internal && a.cidr)
      .map((a) => ({ name, cidr: a.cidr! })),
  );
}

/** Each OSD device: whether it exists, is a block device, and where it (or a partition of it) is mounted. */
export async function probeBlockDevices(paths: readonly string[]): Promise<LabFacts['osdDevices']> {
  const mounts = await readFile('/proc/self/mounts', {
    encoding: 'utf8',
    signal: AbortSignal.timeout(FILE_TIMEOUT_MS),
  }).catch(() => '');
  const entries = mounts.split('\n').map((line) => line.split(' '));
  const facts: LabFacts['osdDevices'] = {};
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    const mounted = entries.find(([source]) => source === path || source?.startsWith(path))?.[1];
    facts[path] = {
      exists: info !== undefined,
      block: info?.isBlockDevice() ?? false,
      ...(mounted ? { mountedAt: mounted } : {}),
    };
  }
  return facts;
}

/** Whether juju is a strict snap, and the staging folder it would read from. */
export async function probeJujuStaging(
  spec: LabSpec,
  env: NodeJS.ProcessEnv,
  labDirectory: string,
): Promise<LabFacts['staging']> {
  const executable = await resolveOnPath(env.LXDSTACK_JUJU || 'juju', env);
  if (!(await isStrictSnap(executable))) return { strict: false, ...(executable ? { executable } : {}) };
  const { home } = await invokingUser(env);
  const dir = stagingDirectory(home, spec.name, labDirectory);
  const problem = snapHomeProblem(dir, home);
  const existing = await stat(join(dir)).catch(() => undefined);
  return {
    strict: true,
    ...(executable ? { executable } : {}),
    dir,
    home,
    ...(problem ? { problem } : {}),
    ...(existing && !existing.isDirectory() ? { problem: `${dir} exists and is not a folder` } : {}),
  };
}

export async function probeLabFacts(
  spec: LabSpec,
  env: NodeJS.ProcessEnv,
  labDirectory: string,
): Promise<LabFacts> {
  const [osdDevices, staging] = await Promise.all([
    probeBlockDevices(spec.storage.osdDevices),
    probeJujuStaging(spec, env, labDirectory),
  ]);
  return { hostNetworks: probeHostNetworks(), osdDevices, staging };
}
