import { describeCommand } from '../util/command-line.js';
import type { LxdConfig, LxdDevices } from './types.js';

// The `lxc` command a person would type for each change lxdstack makes through the REST API: shown in
// dry-run output, in fix hints, and in reports. Pure.

const pairs = (config: LxdConfig = {}) => Object.entries(config).map(([key, value]) => `${key}=${value}`);
const lxc = (...args: string[]) => describeCommand('lxc', args);

export const lxcEquivalent = {
  networkCreate: (name: string, config: LxdConfig) => lxc('network', 'create', name, ...pairs(config)),
  networkSet: (name: string, key: string, value: string | undefined) =>
    value === undefined || value === ''
      ? lxc('network', 'unset', name, key)
      : lxc('network', 'set', name, `${key}=${value}`),
  networkDelete: (name: string) => lxc('network', 'delete', name),
  storageCreate: (name: string, driver: string, config?: LxdConfig) =>
    lxc('storage', 'create', name, driver, ...pairs(config)),
  storageDelete: (name: string) => lxc('storage', 'delete', name),
  profileCreate: (name: string) => lxc('profile', 'create', name),
  profileEdit: (name: string) => `${lxc('profile', 'edit', name)} < ${name}.yaml`,
  profileDelete: (name: string) => lxc('profile', 'delete', name),
  init: (image: string, name: string, config: LxdConfig = {}) =>
    lxc('init', image, name, ...pairs(config).flatMap((c) => ['-c', c])),
  launch: (image: string, name: string, config: LxdConfig = {}, profiles: readonly string[] = []) =>
    lxc(
      'launch',
      image,
      name,
      ...profiles.flatMap((p) => ['-p', p]),
      ...pairs(config).flatMap((c) => ['-c', c]),
    ),
  deviceAdd: (instance: string, device: string, properties: Record<string, string>) => {
    const { type = 'none', ...rest } = properties;
    return lxc('config', 'device', 'add', instance, device, type, ...pairs(rest));
  },
  deviceRemove: (instance: string, device: string) => lxc('config', 'device', 'remove', instance, device),
  exec: (instance: string, argv: readonly string[]) => lxc('exec', instance, '--', ...argv),
  delete: (instance: string) => lxc('delete', '--force', instance),
  sysctlSet: (key: string, value: string) => describeCommand('sysctl', ['-w', `${key}=${value}`]),
};

/** Every device of a map as `lxc config device add` lines (for the nested host's dry-run). */
export function lxcDeviceAdds(instance: string, devices: LxdDevices): string[] {
  return Object.entries(devices).map(([name, props]) => lxcEquivalent.deviceAdd(instance, name, props));
}
