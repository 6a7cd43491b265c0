import { JobError } from '../util/errors.js';
import type { Ledger } from '../state/ledger.js';
import { ubuntuRelease } from '../lab/ubuntu.js';
import type { LabSpec } from '../lab/schema.js';
import type { LxdClient } from './client.js';
import { NESTED_HOST_MODULES } from './checks.js';
import { imageSource } from './instances.js';
import { lxcDeviceAdds, lxcEquivalent } from './lxc.js';
import type { LxdConfig, LxdDevices } from './types.js';

// The 2016 tutorial's layout (stgraber, "LXD 2.0: LXD and OpenStack"): the whole cloud inside one
// privileged, nesting-enabled container with the kernel modules OpenStack needs and /dev/mem, its own
// LXD inside (dir pool, bridge without IPv6), and the dashboard exposed to the host.

export interface NestedHostLayout {
  config: LxdConfig;
  devices: LxdDevices;
}

/** The outer container's image: the Ubuntu release of the lab's series, from the `ubuntu:` image server. */
export function nestedImage(spec: Pick<LabSpec, 'series'>): string {
  return `ubuntu:${ubuntuRelease(spec.series)}`;
}

/** Where this host reaches the dashboard through the outer container's proxy device. */
export const DASHBOARD_LISTEN = 'tcp:127.0.0.1:8080';

/** `tcp:127.0.0.1:8080` -> `127.0.0.1:8080`. */
export const hostPort = (listen: string) => listen.replace(/^tcp:/, '');

/** The outer container's config and devices, as the tutorial set them. */
export function nestedHostLayout(spec: LabSpec): NestedHostLayout {
  return {
    config: {
      'security.privileged': 'true',
      'security.nesting': 'true',
      'linux.kernel_modules': NESTED_HOST_MODULES.join(','),
    },
    devices: {
      root: { type: 'disk', path: '/', pool: spec.lxd.storagePool },
      eth0: { type: 'nic', name: 'eth0', network: spec.lxd.bridge },
      mem: { type: 'unix-char', path: '/dev/mem' },
    },
  };
}

/** Keys of the intended layout missing from, or different in, the instance's effective (expanded) config. */
export function layoutMismatches(
  intended: NestedHostLayout,
  effective: { config: LxdConfig; devices: LxdDevices },
): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(intended.config)) {
    if (effective.config[key] !== value)
      problems.push(`config.${key}: wanted ${value}, LXD has ${effective.config[key] ?? 'nothing'}`);
  }
  for (const [device, props] of Object.entries(intended.devices)) {
    for (const [prop, value] of Object.entries(props)) {
      const have = effective.devices[device]?.[prop];
      if (have !== value)
        problems.push(`devices.${device}.${prop}: wanted ${value}, LXD has ${have ?? 'nothing'}`);
    }
  }
  return problems;
}

export interface NestedHostReport {
  name: string;
  created: boolean;
  /** The effective (expanded) config and devices LXD reports for the outer container. */
  effective: { config: LxdConfig; devices: LxdDevices };
  commands: string[];
}

/**
 * Create the outer container (recorded in the ledger first), then read its effective config back and
 * refuse to go on if LXD did not keep the tutorial's settings. Starting it is a separate step
 * (`startNestedHost`) because LXD loads the kernel modules only at start.
 */
export async function createNestedHost(
  spec: LabSpec,
  deps: { client: LxdClient; ledger: Ledger; image: string },
): Promise<NestedHostReport> {
  const { client, ledger, image } = deps;
  const name = spec.target.container;
  const layout = nestedHostLayout(spec);
  const commands = [lxcEquivalent.init(image, name, layout.config), ...lxcDeviceAdds(name, layout.devices)];
  const existing = await client.getInstance(name);
  if (!existing) {
    const record = await ledger.beginResource({
      kind: 'lxd-instance',
      name,
      data: { image, role: 'nested-host' },
    });
    await client.createInstance({
      name,
      source: imageSource(image),
      profiles: [],
      config: layout.config,
      devices: layout.devices,
    });
    await ledger.commitResource(record.id);
  }
  const instance = await client.getInstance(name);
  if (!instance)
    throw new JobError(
      `LXD reported creating ${name} but it is not there; check \`lxc list\` and run again.`,
    );
  const effective = { config: instance.expanded_config, devices: instance.expanded_devices };
  const problems = layoutMismatches(layout, effective);
  if (problems.length > 0) {
    throw new JobError(
      `The outer container ${name} does not have the tutorial's settings${existing ? ' (it existed before this run)' : ''}; fix or delete it (\`${lxcEquivalent.delete(name)}\`).`,
      {
        details: problems,
      },
    );
  }
  return { name, created: !existing, effective, commands };
}

export async function startNestedHost(client: LxdClient, name: string): Promise<void> {
  const state = await client.getInstanceState(name);
  if (state.status !== 'Running') await client.setInstanceState(name, 'start', { timeoutS: 60 });
}

export const DASHBOARD_DEVICE = 'lxdstack-dashboard';

/**
 * Expose the dashboard to the host with an LXD proxy device: the host listens (loopback by default)
 * and LXD forwards into the container's network namespace, to the dashboard's address there.
 */
export async function addDashboardProxy(
  client: LxdClient,
  ledger: Ledger,
  options: { instance: string; listen: string; connect: string; device?: string },
): Promise<string> {
  const device = options.device ?? DASHBOARD_DEVICE;
  const props = { type: 'proxy', listen: options.listen, connect: options.connect };
  const instance = await client.getInstance(options.instance);
  if (!instance)
    throw new JobError(`Cannot expose the dashboard: instance ${options.instance} does not exist.`);
  const current = instance.devices[device];
  if (current && current.listen === props.listen && current.connect === props.connect)
    return lxcEquivalent.deviceAdd(options.instance, device, props);
  const record = await ledger.beginResource({
    kind: 'lxd-device',
    name: `${options.instance}/${device}`,
    data: { instance: options.instance, device, listen: options.listen, connect: options.connect },
  });
  await client.updateInstance(options.instance, {
    config: instance.config,
    devices: { ...instance.devices, [device]: props },
    profiles: instance.profiles,
    description: instance.description ?? '',
  });
  await ledger.commitResource(record.id);
  return lxcEquivalent.deviceAdd(options.instance, device, props);
}
