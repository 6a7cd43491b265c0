// The parts of LXD's REST objects lxdstack reads (API 1.0, LXD 4.0 to 5.x). Fields not listed are ignored.

export type LxdConfig = Record<string, string>;
export type LxdDevices = Record<string, Record<string, string>>;

/** What PUT accepts for networks and profiles. */
export interface LxdWritable {
  description?: string;
  config: LxdConfig;
  devices?: LxdDevices;
}

export interface LxdServer {
  api_version: string;
  auth: string;
  config: LxdConfig;
  environment: {
    server_version: string;
    kernel: string;
    kernel_version: string;
    os_name?: string;
    os_version?: string;
    storage?: string;
    storage_version?: string;
    server_pid?: number;
    driver?: string;
  };
}

export interface LxdResources {
  cpu: { total: number };
  memory: { total: number; used: number };
}

export interface LxdNetwork {
  name: string;
  type: string;
  managed: boolean;
  description?: string;
  config: LxdConfig;
  status?: string;
}

export interface LxdStoragePool {
  name: string;
  driver: string;
  description?: string;
  config: LxdConfig;
  status?: string;
}

export interface LxdStoragePoolResources {
  space: { used: number; total: number };
}

export interface LxdProfile {
  name: string;
  description: string;
  config: LxdConfig;
  devices: LxdDevices;
}

export interface LxdImage {
  fingerprint: string;
  aliases: { name: string }[];
  size: number;
  type?: string;
  architecture: string;
  properties?: Record<string, string>;
}

export interface LxdInstance {
  name: string;
  status: string;
  type?: string;
  profiles: string[];
  config: LxdConfig;
  devices: LxdDevices;
  expanded_config: LxdConfig;
  expanded_devices: LxdDevices;
  description?: string;
}

export interface LxdInstanceState {
  status: string;
  network?: Record<string, { addresses: { family: 'inet' | 'inet6'; address: string; scope: string }[] }>;
}

export interface LxdOperation {
  id: string;
  status: 'Pending' | 'Running' | 'Success' | 'Failure' | 'Cancelled' | string;
  status_code?: number;
  err?: string;
  metadata?: unknown;
}

export interface LxdExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
