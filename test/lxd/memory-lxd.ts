import type { LxdClient } from '../../src/lxd/client.js';
import { lxdError } from '../../src/lxd/transport.js';
import type { LxdInstance, LxdNetwork, LxdProfile, LxdStoragePool } from '../../src/lxd/types.js';

// An in-memory LXD for the logic above the client (prepare, fixes, teardown, nested layout): it keeps
// objects the way LXD does, including a hook to model LXD dropping or rewriting profile keys.

export class MemoryLxd implements LxdClient {
  readonly socketPath = '/memory/unix.socket';
  networks = new Map<string, LxdNetwork>();
  pools = new Map<string, LxdStoragePool>();
  profiles = new Map<string, LxdProfile>();
  instances = new Map<string, LxdInstance>();
  calls: string[] = [];
  /** How LXD stores a profile it was given (identity by default). */
  storeProfile: (profile: LxdProfile) => LxdProfile = (p) => p;

  private miss(what: string): never {
    throw lxdError(404, 'not found', what);
  }
  async getServer() {
    return {
      api_version: '1.0',
      auth: 'trusted',
      config: {},
      environment: { server_version: '5.0.2', kernel: 'Linux', kernel_version: '6.1' },
    };
  }
  async getResources() {
    return { cpu: { total: 4 }, memory: { total: 1, used: 0 } };
  }
  async getNetwork(name: string) {
    return structuredClone(this.networks.get(name));
  }
  async createNetwork(input: {
    name: string;
    type?: string;
    description?: string;
    config: Record<string, string>;
  }) {
    this.calls.push(`createNetwork ${input.name}`);
    this.networks.set(input.name, {
      name: input.name,
      type: input.type ?? 'bridge',
      managed: true,
      description: input.description ?? '',
      config: { ...input.config },
    });
  }
  async updateNetwork(name: string, input: { description?: string; config: Record<string, string> }) {
    this.calls.push(`updateNetwork ${name}`);
    const network = this.networks.get(name) ?? this.miss(`update network ${name}`);
    this.networks.set(name, { ...network, config: { ...input.config } });
  }
  async deleteNetwork(name: string) {
    this.calls.push(`deleteNetwork ${name}`);
    if (!this.networks.delete(name)) this.miss(`delete network ${name}`);
  }
  async listStoragePools() {
    return [...this.pools.values()];
  }
  async getStoragePool(name: string) {
    return structuredClone(this.pools.get(name));
  }
  async getStoragePoolResources() {
    return { space: { used: 0, total: 100 * 1024 ** 3 } };
  }
  async createStoragePool(input: { name: string; driver: string; description?: string }) {
    this.calls.push(`createStoragePool ${input.name}`);
    this.pools.set(input.name, {
      name: input.name,
      driver: input.driver,
      description: input.description ?? '',
      config: {},
    });
  }
  async deleteStoragePool(name: string) {
    this.calls.push(`deleteStoragePool ${name}`);
    if (!this.pools.delete(name)) this.miss(`delete storage pool ${name}`);
  }
  async getProfile(name: string) {
    return structuredClone(this.profiles.get(name));
  }
  async createProfile(input: {
    name: string;
    description?: string;
    config: Record<string, string>;
    devices?: Record<string, Record<string, string>>;
  }) {
    this.calls.push(`createProfile ${input.name}`);
    this.profiles.set(
      input.name,
      this.storeProfile({
        name: input.name,
        description: input.description ?? '',
        config: { ...input.config },
        devices: structuredClone(input.devices ?? {}),
      }),
    );
  }
  async updateProfile(
    name: string,
    input: {
      description?: string;
      config: Record<string, string>;
      devices?: Record<string, Record<string, string>>;
    },
  ) {
    this.calls.push(`updateProfile ${name}`);
    if (!this.profiles.has(name)) this.miss(`update profile ${name}`);
    this.profiles.set(
      name,
      this.storeProfile({
        name,
        description: input.description ?? '',
        config: { ...input.config },
        devices: structuredClone(input.devices ?? {}),
      }),
    );
  }
  async deleteProfile(name: string) {
    this.calls.push(`deleteProfile ${name}`);
    if (!this.profiles.delete(name)) this.miss(`delete profile ${name}`);
  }
  async listImages() {
    return [
      {
        fingerprint: 'f'.repeat(64),
        aliases: [{ name: 'busybox' }],
        size: 900_000,
        architecture: 'x86_64',
        type: 'container',
      },
    ];
  }
  async listProfiles() {
    return [...this.profiles.values()].map((p) => structuredClone(p));
  }
  async listInstances() {
    return [...this.instances.values()].map((i) => structuredClone(i));
  }
  async getInstance(name: string) {
    return structuredClone(this.instances.get(name));
  }
  async createInstance(input: Parameters<LxdClient['createInstance']>[0]) {
    this.calls.push(`createInstance ${input.name}`);
    const config = { ...input.config };
    const devices = structuredClone(input.devices ?? {});
    this.instances.set(input.name, {
      name: input.name,
      status: 'Stopped',
      profiles: input.profiles ?? ['default'],
      config,
      devices,
      expanded_config: { ...config },
      expanded_devices: structuredClone(devices),
    });
  }
  async updateInstance(name: string, input: Parameters<LxdClient['updateInstance']>[1]) {
    this.calls.push(`updateInstance ${name}`);
    const instance = this.instances.get(name) ?? this.miss(`update instance ${name}`);
    this.instances.set(name, {
      ...instance,
      config: { ...input.config },
      devices: structuredClone(input.devices),
      expanded_config: { ...input.config },
      expanded_devices: structuredClone(input.devices),
    });
  }
  async getInstanceState(name: string) {
    return { status: (this.instances.get(name) ?? this.miss(`read instance ${name}`)).status };
  }
  async setInstanceState(name: string, action: 'start' | 'stop' | 'restart') {
    this.calls.push(`${action} ${name}`);
    const instance = this.instances.get(name) ?? this.miss(`${action} instance ${name}`);
    instance.status = action === 'stop' ? 'Stopped' : 'Running';
  }
  async deleteInstance(name: string) {
    this.calls.push(`deleteInstance ${name}`);
    if (!this.instances.delete(name)) this.miss(`delete instance ${name}`);
  }
  execs: { name: string; argv: readonly string[] }[] = [];
  /** exit code per argv joined by spaces; default 0. */
  execCodes = new Map<string, number>();
  /** stdout per argv joined by spaces; default empty. */
  execOutputs = new Map<string, string>();
  async exec(name: string, argv: readonly string[]) {
    this.execs.push({ name, argv });
    const exitCode = this.execCodes.get(argv.join(' ')) ?? 0;
    const stdout = this.execOutputs.get(argv.join(' ')) ?? '';
    return { exitCode, stdout, stderr: exitCode === 0 ? '' : `Error: ${argv[1]} not found\n` };
  }
  pushed = new Map<string, { content: string; mode: number | undefined }>();
  async pushFile(name: string, path: string, content: string | Buffer, mode?: number) {
    this.pushed.set(`${name}:${path}`, { content: content.toString(), mode });
  }
}
