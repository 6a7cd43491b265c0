import { PROFILES } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import { formatIpv4, parseIpv4 } from '../lab/net.js';
import { JobError } from '../util/errors.js';
import { parseYaml } from '../util/yaml.js';
import { JUJU_INSTALL } from './checks.js';
import type { LxdClient } from './client.js';
import { execInInstance } from './instances.js';
import { lxcEquivalent } from './lxc.js';
import {
  compareProfile,
  externalBridgeConfig,
  stringifyProfile,
  type ModelProfile,
  type ProfileDifference,
} from './prepare.js';
import type { LxdConfig, LxdDevices } from './types.js';

// The LXD inside the 2016 tutorial's outer container, driven through LXD's exec API with argv lists (no
// shell): installing LXD and the engine there, the inner pool and bridge, the model's profile, and the
// clean-up of what a forced destroy-model leaves behind.

/** One thing to make true inside the outer container: `check` exits 0 when it already is. */
export interface InnerStep {
  what: string;
  check?: string[];
  /** Run first, its failure ignored: clears the way for `run` (e.g. removing a device to replace it). */
  clear?: string[];
  run: string[];
}

/** Snap installs and `lxd waitready` can take minutes on a slow mirror. */
const PROVISION_TIMEOUT_MS = 15 * 60_000;

/** The inner LXD's pool and bridge, as the tutorial made them: dir, and no IPv6 (Juju needs that). */
export function innerLxdSteps(spec: LabSpec): InnerStep[] {
  const { storagePool: pool, bridge } = spec.lxd;
  return [
    {
      what: `inner pool ${pool}`,
      check: ['lxc', 'storage', 'show', pool],
      run: ['lxc', 'storage', 'create', pool, 'dir'],
    },
    {
      what: `inner bridge ${bridge}`,
      check: ['lxc', 'network', 'show', bridge],
      run: ['lxc', 'network', 'create', bridge, 'ipv4.address=auto', 'ipv4.nat=true', 'ipv6.address=none'],
    },
    {
      // the spell's conjureup0: the external network's gateway, inside the outer container
      what: `inner external bridge ${spec.network.externalBridge}`,
      check: ['lxc', 'network', 'show', spec.network.externalBridge],
      run: [
        'lxc',
        'network',
        'create',
        spec.network.externalBridge,
        ...Object.entries(externalBridgeConfig(spec)).map(([key, value]) => `${key}=${value}`),
      ],
    },
    {
      what: 'root disk of the default profile',
      check: ['lxc', 'profile', 'device', 'get', 'default', 'root', 'pool'],
      run: ['lxc', 'profile', 'device', 'add', 'default', 'root', 'disk', 'path=/', `pool=${pool}`],
    },
    {
      what: 'network of the default profile',
      check: ['lxc', 'profile', 'device', 'get', 'default', 'eth0', 'network'],
      run: ['lxc', 'profile', 'device', 'add', 'default', 'eth0', 'nic', 'name=eth0', `network=${bridge}`],
    },
  ];
}

/** Everything the outer container needs before the engine can run in it, in order. */
export function provisionSteps(spec: LabSpec): InnerStep[] {
  return [
    { what: 'LXD', check: ['lxd', '--version'], run: ['snap', 'install', 'lxd'] },
    { what: 'LXD daemon', run: ['lxd', 'waitready', '--timeout=300'] },
    ...innerLxdSteps(spec),
    { what: 'juju', check: ['juju', 'version'], run: JUJU_INSTALL[PROFILES[spec.profile].juju].split(' ') },
    ...(spec.engine === 'conjure-up'
      ? [
          {
            what: 'conjure-up',
            check: ['conjure-up', '--version'],
            run: ['snap', 'install', 'conjure-up', '--classic'],
          },
        ]
      : []),
  ];
}

/** Run the steps whose check fails (or that have none); returns what ran, as `lxc exec` lines. */
export async function runInnerSteps(
  client: LxdClient,
  instance: string,
  steps: readonly InnerStep[],
  options: { timeoutMs?: number } = {},
): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? PROVISION_TIMEOUT_MS;
  const ran: string[] = [];
  for (const step of steps) {
    if (step.check) {
      const probe = await execInInstance(client, instance, step.check, { timeoutMs, allowFailure: true });
      if (probe.exitCode === 0) continue;
    }
    if (step.clear) await execInInstance(client, instance, step.clear, { timeoutMs, allowFailure: true });
    await execInInstance(client, instance, step.run, { timeoutMs });
    ran.push(lxcEquivalent.exec(instance, step.run));
  }
  return ran;
}

/** The argv lists that give an inner profile exactly the intended keys and devices (LXD 2.0's `lxc` has them all). */
export function innerProfileSteps(
  name: string,
  intended: { config: LxdConfig; devices: LxdDevices },
): InnerStep[] {
  const steps: InnerStep[] = [
    {
      what: `profile ${name}`,
      check: ['lxc', 'profile', 'show', name],
      run: ['lxc', 'profile', 'create', name],
    },
  ];
  for (const [key, value] of Object.entries(intended.config))
    steps.push({ what: `${name} ${key}`, run: ['lxc', 'profile', 'set', name, key, value] });
  for (const [device, props] of Object.entries(intended.devices)) {
    const { type, ...rest } = props;
    steps.push({
      what: `${name} device ${device}`,
      // Removed first so that a second run replaces the device instead of failing on "already exists".
      clear: ['lxc', 'profile', 'device', 'remove', name, device],
      run: [
        'lxc',
        'profile',
        'device',
        'add',
        name,
        device,
        type ?? 'none',
        ...Object.entries(rest).map(([k, v]) => `${k}=${v}`),
      ],
    });
  }
  return steps;
}

/**
 * Apply the model's profile in the inner LXD (after add-model, as on a host), then read it back and
 * report what LXD dropped or changed.
 */
export async function applyInnerProfile(
  client: LxdClient,
  instance: string,
  name: string,
  profile: ModelProfile,
): Promise<{ commands: string[]; dropped: string[]; changed: ProfileDifference[] }> {
  const intended = stringifyProfile(profile);
  const commands = await runInnerSteps(client, instance, innerProfileSteps(name, intended), {
    timeoutMs: 60_000,
  });
  const shown = await execInInstance(client, instance, ['lxc', 'profile', 'show', name], {
    timeoutMs: 60_000,
  });
  const readBack = (parseYaml(shown.stdout, `lxc profile show ${name}`) ?? {}) as {
    config?: LxdConfig;
    devices?: LxdDevices;
  };
  return {
    commands,
    ...compareProfile(intended, { config: readBack.config ?? {}, devices: readBack.devices ?? {} }),
  };
}

/** The inner bridge's network (`10.12.34.0/24`), from its `ipv4.address` (`10.12.34.1/24`). */
export async function innerBridgeCidr(client: LxdClient, instance: string, bridge: string): Promise<string> {
  const argv = ['lxc', 'network', 'get', bridge, 'ipv4.address'];
  const result = await execInInstance(client, instance, argv, { timeoutMs: 60_000 });
  const cidr = networkOf(result.stdout.trim());
  if (!cidr)
    throw new JobError(
      `The inner bridge ${bridge} has no IPv4 network (\`${lxcEquivalent.exec(instance, argv)}\` printed "${result.stdout.trim()}"); give it one with ipv4.address=auto.`,
    );
  return cidr;
}

/** `10.12.34.1/24` -> `10.12.34.0/24`. Pure. */
export function networkOf(addressWithPrefix: string): string | undefined {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(addressWithPrefix);
  const address = match ? parseIpv4(match[1]!) : undefined;
  const prefix = Number(match?.[2]);
  if (address === undefined || !(prefix >= 1 && prefix <= 32)) return undefined;
  const size = 2 ** (32 - prefix);
  return `${formatIpv4(address - (address % size))}/${prefix}`;
}

interface InnerInstance {
  name: string;
  profiles?: string[];
}

/** The inner LXD's instances (`lxc list --format json`). */
export async function innerInstances(client: LxdClient, instance: string): Promise<InnerInstance[]> {
  const result = await execInInstance(client, instance, ['lxc', 'list', '--format', 'json'], {
    timeoutMs: 60_000,
  });
  const parsed: unknown = JSON.parse(result.stdout || '[]');
  return Array.isArray(parsed) ? (parsed as InnerInstance[]) : [];
}

/** After a forced destroy-model: the model's inner instances and its `juju-<model>` profile. */
export async function removeInnerModelLeftovers(
  client: LxdClient,
  instance: string,
  profile: string,
): Promise<string[]> {
  const done: string[] = [];
  for (const inner of await innerInstances(client, instance)) {
    if (!inner.profiles?.includes(profile)) continue;
    const argv = ['lxc', 'delete', '--force', inner.name];
    await execInInstance(client, instance, argv, { timeoutMs: 120_000 });
    done.push(lxcEquivalent.exec(instance, argv));
  }
  const argv = ['lxc', 'profile', 'delete', profile];
  const deleted = await execInInstance(client, instance, argv, { timeoutMs: 60_000, allowFailure: true });
  if (deleted.exitCode === 0) done.push(lxcEquivalent.exec(instance, argv));
  return done;
}
