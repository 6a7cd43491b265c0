import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { release } from 'node:os';
import { errorMessage } from '../util/errors.js';
import type { LabSpec } from '../lab/schema.js';
import { createLxdClient, type LxdClient } from './client.js';
import type { HostFacts, SmokeFact, ToolFact } from './checks.js';
import { SYSCTL_MINIMUMS } from './checks.js';
import { removeInstance, waitForIpv4 } from './instances.js';
import { pathExists } from '../util/fs.js';
import { resolveOnPath as onPath } from '../util/snap.js';

// The doctor's probes: each reads one fact from the host or LXD, with its own timeout, and never throws
// (a probe that cannot tell returns what it saw). Pure judgement lives in checks.ts.

const FILE_TIMEOUT_MS = 2_000;
const TOOL_TIMEOUT_MS = 5_000;

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, { encoding: 'utf8', signal: AbortSignal.timeout(FILE_TIMEOUT_MS) });
  } catch {
    return undefined;
  }
}

export async function probeOs(): Promise<HostFacts['os']> {
  const text = (await readText('/etc/os-release')) ?? '';
  const field = (key: string) => new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
  return {
    id: field('ID'),
    versionId: field('VERSION_ID'),
    prettyName: field('PRETTY_NAME'),
    kernel: release(),
  };
}

/** Cores the scheduler lets us use, RAM and swap from /proc. */
export async function probeCpuMemory(): Promise<
  Pick<HostFacts, 'cores' | 'memTotalBytes' | 'swapTotalBytes'>
> {
  const meminfo = (await readText('/proc/meminfo')) ?? '';
  const kib = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  const cpuinfo = (await readText('/proc/cpuinfo')) ?? '';
  const cores = cpuinfo.match(/^processor\s*:/gm)?.length ?? 0;
  return { cores, memTotalBytes: kib('MemTotal'), swapTotalBytes: kib('SwapTotal') };
}

/** The installed version of a Debian package, from dpkg's status database (no process needed). */
export function dpkgInstalledVersion(statusDb: string, pkg: string): string | undefined {
  for (const paragraph of statusDb.split(/\n\n+/)) {
    if (!paragraph.startsWith(`Package: ${pkg}\n`)) continue;
    if (!/^Status: install ok installed$/m.test(paragraph)) return undefined;
    return /^Version: (.+)$/m.exec(paragraph)?.[1];
  }
  return undefined;
}

/** The apt package's version (dpkg's database) and the snap's version (its mount), each if installed. */
export async function probeLxdPackages(
  dpkgStatusPath = '/var/lib/dpkg/status',
): Promise<HostFacts['lxdPackages']> {
  const [statusDb, snapRevision] = await Promise.all([
    readText(dpkgStatusPath),
    pathExists('/snap/lxd/current').then(async (present) =>
      present
        ? ((await readText('/snap/lxd/current/meta/snap.yaml'))?.match(/^version:\s*(.+)$/m)?.[1] ??
          'installed')
        : undefined,
    ),
  ]);
  const installed = statusDb === undefined ? undefined : dpkgInstalledVersion(statusDb, 'lxd');
  return { ...(installed ? { apt: installed } : {}), ...(snapRevision ? { snap: snapRevision } : {}) };
}

async function groupName(gid: number): Promise<string | undefined> {
  const groups = (await readText('/etc/group')) ?? '';
  return groups
    .split('\n')
    .find((line) => line.split(':')[2] === String(gid))
    ?.split(':')[0];
}

export async function probeSocket(socketPath: string): Promise<HostFacts['socket']> {
  const isRoot = process.getuid?.() === 0;
  try {
    const info = await stat(socketPath);
    const group = (await groupName(info.gid)) ?? String(info.gid);
    const inGroup = process.getgroups?.().includes(info.gid) ?? false;
    let accessible = true;
    try {
      await access(socketPath, constants.R_OK | constants.W_OK);
    } catch {
      accessible = false;
    }
    return {
      path: socketPath,
      exists: true,
      mode: `0${(info.mode & 0o777).toString(8)}`,
      group,
      accessible,
      isRoot,
      inGroup,
    };
  } catch {
    return { path: socketPath, exists: false, accessible: false, isRoot, inGroup: false };
  }
}

export async function probeServer(client: LxdClient): Promise<HostFacts['server']> {
  try {
    const server = await client.getServer();
    return {
      version: server.environment.server_version,
      ...(server.environment.storage ? { storage: server.environment.storage } : {}),
    };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

/** A tool named by an environment variable (a stand-in such as the simulator) or found on PATH, and its version. */
export async function probeTool(
  file: string,
  envVar: string,
  versionArgs: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ToolFact> {
  const named = env[envVar];
  const path = named || (await onPath(file, env));
  if (!path) return { source: 'none' };
  const source = named ? 'env' : 'path';
  // Loaded only when there is a tool to run: execa is most of the doctor's start-up time.
  const { runCommand } = await import('../util/run.js');
  try {
    const result = await runCommand(path, versionArgs, { timeoutMs: TOOL_TIMEOUT_MS, env: { ...env } });
    const line = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /\d+\.\d+/.test(l));
    const version = line?.match(/\d+\.\d+[^\s]*/)?.[0];
    if (result.exitCode !== 0 || !version)
      return {
        source,
        path,
        error: (result.stderr || result.stdout).trim().split('\n')[0] || `exit ${result.exitCode}`,
      };
    return { source, path, version };
  } catch (error) {
    return { source, path, error: errorMessage(error) };
  }
}

export const probeJuju = (env: NodeJS.ProcessEnv) => probeTool('juju', 'LXDSTACK_JUJU', ['version'], env);
export const probeConjureUp = (env: NodeJS.ProcessEnv) =>
  probeTool('conjure-up', 'LXDSTACK_CONJURE_UP', ['--version'], env);

export async function probeVirtualization(): Promise<HostFacts['virtualization']> {
  const containerType = (await readText('/run/container_type'))?.trim();
  if (containerType) return { kind: 'container', detail: containerType };
  const environ = await readText('/proc/1/environ');
  const container = environ
    ?.split('\0')
    .find((v) => v.startsWith('container='))
    ?.slice('container='.length);
  if (container) return { kind: 'container', detail: container };
  if (await pathExists('/.dockerenv')) return { kind: 'container', detail: 'docker' };
  const cpuinfo = (await readText('/proc/cpuinfo')) ?? '';
  if (/^flags\s*:.*\bhypervisor\b/m.test(cpuinfo)) {
    const vendor = (await readText('/sys/class/dmi/id/sys_vendor'))?.trim();
    return { kind: 'vm', detail: vendor || 'hypervisor flag set' };
  }
  return { kind: 'none', detail: '' };
}

export async function probeKvm(): Promise<boolean> {
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Mirrors LXD's own test: a module is fine when /sys/module has it, or modprobe can find it. */
export async function probeKernelModules(
  names: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<HostFacts['kernelModules']> {
  const kernel = release();
  const [modprobe, dep, builtin] = await Promise.all([
    onPath('modprobe', { PATH: `${env.PATH ?? ''}${delimiter}/sbin${delimiter}/usr/sbin` }),
    readText(`/lib/modules/${kernel}/modules.dep`),
    readText(`/lib/modules/${kernel}/modules.builtin`),
  ]);
  const listed = `${dep ?? ''}\n${builtin ?? ''}`.replaceAll('-', '_');
  const states = await Promise.all(
    names.map(async (name) => {
      if (await pathExists(`/sys/module/${name}`)) return [name, 'loaded'] as const;
      const known = new RegExp(`/${name}\\.ko`).test(listed);
      return [name, modprobe && known ? 'loadable' : 'missing'] as const;
    }),
  );
  return Object.fromEntries(states);
}

export function sysctlPath(key: string): string {
  return `/proc/sys/${key.replaceAll('.', '/')}`;
}

export async function probeSysctl(
  keys: readonly string[] = Object.keys(SYSCTL_MINIMUMS),
): Promise<Record<string, string | undefined>> {
  const values = await Promise.all(
    keys.map(async (key) => [key, (await readText(sysctlPath(key)))?.trim()] as const),
  );
  return Object.fromEntries(values);
}

/** The lab's proxy settings when it has them, else the environment's (what juju would inherit). */
export function probeProxy(spec: LabSpec, env: NodeJS.ProcessEnv): HostFacts['proxy'] {
  if (spec.proxy.http || spec.proxy.https) return { ...spec.proxy, from: 'lab' };
  const http = env.http_proxy ?? env.HTTP_PROXY;
  const https = env.https_proxy ?? env.HTTPS_PROXY;
  const noProxy = env.no_proxy ?? env.NO_PROXY;
  if (!http && !https) return { from: 'none' };
  return {
    ...(http ? { http } : {}),
    ...(https ? { https } : {}),
    ...(noProxy ? { noProxy } : {}),
    from: 'environment',
  };
}

export async function probePool(
  client: LxdClient,
  name: string,
): Promise<Pick<HostFacts, 'pool' | 'poolFreeBytes'>> {
  try {
    const pool = (await client.getStoragePool(name)) ?? null;
    if (!pool) return { pool };
    const resources = await client.getStoragePoolResources(name).catch(() => undefined);
    return { pool, ...(resources ? { poolFreeBytes: resources.space.total - resources.space.used } : {}) };
  } catch {
    return {};
  }
}

export async function probeBridge(client: LxdClient, name: string): Promise<HostFacts['bridge']> {
  try {
    return (await client.getNetwork(name)) ?? null;
  } catch {
    return undefined;
  }
}

/** Images the smoke test prefers: tiny ones first (the test machine's busybox), then any container image. */
export async function pickSmokeImage(
  client: LxdClient,
): Promise<{ fingerprint: string; label: string } | undefined> {
  const images = (await client.listImages()).filter((image) => (image.type ?? 'container') === 'container');
  images.sort((a, b) => a.size - b.size);
  const image = images[0];
  if (!image) return undefined;
  return { fingerprint: image.fingerprint, label: image.aliases[0]?.name ?? image.fingerprint.slice(0, 12) };
}

/** Launch a throwaway container on the lab's bridge and pool, wait for an IPv4 address, delete it. */
export async function probeContainerSmoke(
  client: LxdClient,
  spec: LabSpec,
  options: { waitForAddressMs?: number; name?: string } = {},
): Promise<SmokeFact> {
  const started = Date.now();
  const name = options.name ?? `lxdstack-doctor-${process.pid}-${started.toString(36)}`;
  let image: { fingerprint: string; label: string } | undefined;
  let created = false;
  try {
    image = await pickSmokeImage(client);
    if (!image)
      return { ok: false, durationMs: Date.now() - started, error: 'no local container image to launch' };
    await client.createInstance({
      name,
      source: { type: 'image', fingerprint: image.fingerprint },
      profiles: [],
      devices: {
        root: { type: 'disk', path: '/', pool: spec.lxd.storagePool },
        eth0: { type: 'nic', name: 'eth0', network: spec.lxd.bridge },
      },
    });
    created = true;
    await client.setInstanceState(name, 'start');
    const ipv4 = await waitForIpv4(client, name, options.waitForAddressMs ?? 15_000);
    if (!ipv4)
      return {
        ok: false,
        image: image.label,
        durationMs: Date.now() - started,
        error: `the container started but got no IPv4 address on ${spec.lxd.bridge}`,
      };
    return { ok: true, image: image.label, ipv4, durationMs: Date.now() - started };
  } catch (error) {
    return {
      ok: false,
      ...(image ? { image: image.label } : {}),
      durationMs: Date.now() - started,
      error: errorMessage(error),
    };
  } finally {
    // A client of its own: the run's client refuses every call once Ctrl-C aborted it, and the
    // throwaway container must go even then.
    if (created)
      await removeInstance(createLxdClient({ socketPath: client.socketPath }), name).catch(() => undefined);
  }
}
