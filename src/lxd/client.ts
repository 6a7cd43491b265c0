import { InterruptedError, JobError } from '../util/errors.js';
import { findLxdSocket, lxdError, parseEnvelope, sendRequest, type TransportRequest } from './transport.js';
import type {
  LxdExecResult,
  LxdImage,
  LxdInstance,
  LxdInstanceState,
  LxdNetwork,
  LxdOperation,
  LxdProfile,
  LxdResources,
  LxdServer,
  LxdStoragePool,
  LxdStoragePoolResources,
  LxdWritable,
} from './types.js';

// A typed client for LXD's REST API over its unix socket: one method per API call, each with a
// timeout; async calls wait for their operation to finish, and a failed operation becomes a sentence.

export interface LxdClientOptions {
  /** Default: $LXD_DIR/unix.socket when set, else the snap's socket or Debian's (the first that exists). */
  socketPath?: string;
  /** Per request; operations get `operationTimeoutMs`. */
  timeoutMs?: number;
  operationTimeoutMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface LxdClient {
  readonly socketPath: string;
  getServer(): Promise<LxdServer>;
  getResources(): Promise<LxdResources>;
  getNetwork(name: string): Promise<LxdNetwork | undefined>;
  createNetwork(input: {
    name: string;
    type?: string;
    description?: string;
    config: Record<string, string>;
  }): Promise<void>;
  updateNetwork(name: string, input: LxdWritable): Promise<void>;
  deleteNetwork(name: string): Promise<void>;
  listStoragePools(): Promise<LxdStoragePool[]>;
  getStoragePool(name: string): Promise<LxdStoragePool | undefined>;
  getStoragePoolResources(name: string): Promise<LxdStoragePoolResources>;
  createStoragePool(input: {
    name: string;
    driver: string;
    description?: string;
    config?: Record<string, string>;
  }): Promise<void>;
  deleteStoragePool(name: string): Promise<void>;
  getProfile(name: string): Promise<LxdProfile | undefined>;
  createProfile(input: { name: string } & LxdWritable): Promise<void>;
  updateProfile(name: string, input: LxdWritable): Promise<void>;
  deleteProfile(name: string): Promise<void>;
  listImages(): Promise<LxdImage[]>;
  listProfiles(): Promise<LxdProfile[]>;
  listInstances(): Promise<LxdInstance[]>;
  getInstance(name: string): Promise<LxdInstance | undefined>;
  createInstance(input: {
    name: string;
    /** A local image (alias or fingerprint), or one from a remote image server (`server` and `protocol`). */
    source: {
      type: 'image';
      alias?: string;
      fingerprint?: string;
      server?: string;
      protocol?: 'simplestreams';
    };
    profiles?: string[];
    config?: Record<string, string>;
    devices?: Record<string, Record<string, string>>;
    ephemeral?: boolean;
  }): Promise<void>;
  updateInstance(
    name: string,
    input: {
      config: Record<string, string>;
      devices: Record<string, Record<string, string>>;
      profiles: string[];
      description?: string;
    },
  ): Promise<void>;
  getInstanceState(name: string): Promise<LxdInstanceState>;
  setInstanceState(
    name: string,
    action: 'start' | 'stop' | 'restart',
    options?: { force?: boolean; timeoutS?: number },
  ): Promise<void>;
  deleteInstance(name: string): Promise<void>;
  /** Run argv in the instance (LXD's exec API, output recorded) and return its exit code and output. */
  exec(
    name: string,
    argv: readonly string[],
    options?: { env?: Record<string, string>; cwd?: string; timeoutMs?: number },
  ): Promise<LxdExecResult>;
  /** Write a file inside the instance (how secrets reach it: never argv). */
  pushFile(name: string, path: string, content: string | Buffer, mode?: number): Promise<void>;
}

const API = '/1.0';
const enc = encodeURIComponent;

export function createLxdClient(options: LxdClientOptions = {}): LxdClient {
  return new SocketLxdClient(options);
}

class SocketLxdClient implements LxdClient {
  readonly socketPath: string;
  private readonly timeoutMs: number;
  private readonly operationTimeoutMs: number;
  private readonly signal?: AbortSignal;

  constructor(options: LxdClientOptions) {
    this.socketPath = options.socketPath ?? findLxdSocket(options.env);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.operationTimeoutMs = options.operationTimeoutMs ?? 120_000;
    this.signal = options.signal;
  }

  /** A sync call: the envelope's metadata. */
  private async call<T>(
    req: Omit<TransportRequest, 'timeoutMs' | 'signal'> & { timeoutMs?: number },
  ): Promise<T> {
    const res = await sendRequest(this.socketPath, {
      ...req,
      timeoutMs: req.timeoutMs ?? this.timeoutMs,
      signal: this.signal,
    });
    return parseEnvelope(res, req.what).metadata as T;
  }

  /** A sync call whose 404 means "absent" rather than an error. */
  private async find<T>(path: string, what: string): Promise<T | undefined> {
    const res = await sendRequest(this.socketPath, {
      method: 'GET',
      path,
      what,
      timeoutMs: this.timeoutMs,
      signal: this.signal,
    });
    if (res.status === 404) return undefined;
    return parseEnvelope(res, what).metadata as T;
  }

  /** An async call: start it, then wait for its operation; returns the finished operation. */
  private async operate(
    req: Omit<TransportRequest, 'timeoutMs' | 'signal'>,
    timeoutMs = this.operationTimeoutMs,
  ): Promise<LxdOperation> {
    const res = await sendRequest(this.socketPath, {
      ...req,
      timeoutMs: this.timeoutMs,
      signal: this.signal,
    });
    const envelope = parseEnvelope(res, req.what);
    if (envelope.type !== 'async' || !envelope.operation) return envelope.metadata as LxdOperation;
    return this.waitOperation(envelope.operation, req.what, timeoutMs);
  }

  private async waitOperation(operationPath: string, what: string, timeoutMs: number): Promise<LxdOperation> {
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const op = await this.call<LxdOperation>({
      method: 'GET',
      path: `${operationPath}/wait?timeout=${seconds}`,
      what: `wait for ${what}`,
      timeoutMs: timeoutMs + 5_000,
    });
    if (op.status === 'Success') return op;
    if (op.status === 'Running' || op.status === 'Pending') {
      throw new JobError(
        `LXD did not finish "${what}" within ${seconds} s; check \`lxc operation list\` and try again.`,
      );
    }
    if (op.status === 'Cancelled' && this.signal?.aborted) throw new InterruptedError();
    throw lxdError(op.status_code ?? 0, op.err || `operation ${op.status}`, what);
  }

  getServer() {
    return this.call<LxdServer>({ method: 'GET', path: API, what: 'read the server information' });
  }

  getResources() {
    return this.call<LxdResources>({
      method: 'GET',
      path: `${API}/resources`,
      what: "read the host's resources",
    });
  }

  getNetwork(name: string) {
    return this.find<LxdNetwork>(`${API}/networks/${enc(name)}`, `read network ${name}`);
  }

  async createNetwork(input: {
    name: string;
    type?: string;
    description?: string;
    config: Record<string, string>;
  }) {
    await this.call({
      method: 'POST',
      path: `${API}/networks`,
      body: { type: 'bridge', ...input },
      what: `create network ${input.name}`,
    });
  }

  async updateNetwork(name: string, input: LxdWritable) {
    await this.call({
      method: 'PUT',
      path: `${API}/networks/${enc(name)}`,
      body: input,
      what: `update network ${name}`,
    });
  }

  async deleteNetwork(name: string) {
    await this.call({
      method: 'DELETE',
      path: `${API}/networks/${enc(name)}`,
      what: `delete network ${name}`,
    });
  }

  listStoragePools() {
    return this.call<LxdStoragePool[]>({
      method: 'GET',
      path: `${API}/storage-pools?recursion=1`,
      what: 'list storage pools',
    });
  }

  getStoragePool(name: string) {
    return this.find<LxdStoragePool>(`${API}/storage-pools/${enc(name)}`, `read storage pool ${name}`);
  }

  getStoragePoolResources(name: string) {
    return this.call<LxdStoragePoolResources>({
      method: 'GET',
      path: `${API}/storage-pools/${enc(name)}/resources`,
      what: `read the free space of storage pool ${name}`,
    });
  }

  async createStoragePool(input: {
    name: string;
    driver: string;
    description?: string;
    config?: Record<string, string>;
  }) {
    await this.call({
      method: 'POST',
      path: `${API}/storage-pools`,
      body: { config: {}, ...input },
      what: `create storage pool ${input.name}`,
    });
  }

  async deleteStoragePool(name: string) {
    await this.call({
      method: 'DELETE',
      path: `${API}/storage-pools/${enc(name)}`,
      what: `delete storage pool ${name}`,
    });
  }

  getProfile(name: string) {
    return this.find<LxdProfile>(`${API}/profiles/${enc(name)}`, `read profile ${name}`);
  }

  async createProfile(input: { name: string } & LxdWritable) {
    await this.call({
      method: 'POST',
      path: `${API}/profiles`,
      body: input,
      what: `create profile ${input.name}`,
    });
  }

  async updateProfile(name: string, input: LxdWritable) {
    await this.call({
      method: 'PUT',
      path: `${API}/profiles/${enc(name)}`,
      body: input,
      what: `update profile ${name}`,
    });
  }

  async deleteProfile(name: string) {
    await this.call({
      method: 'DELETE',
      path: `${API}/profiles/${enc(name)}`,
      what: `delete profile ${name}`,
    });
  }

  listImages() {
    return this.call<LxdImage[]>({
      method: 'GET',
      path: `${API}/images?recursion=1`,
      what: 'list local images',
    });
  }

  listProfiles() {
    return this.call<LxdProfile[]>({
      method: 'GET',
      path: `${API}/profiles?recursion=1`,
      what: 'list profiles',
    });
  }

  listInstances() {
    return this.call<LxdInstance[]>({
      method: 'GET',
      path: `${API}/instances?recursion=1`,
      what: 'list instances',
    });
  }

  getInstance(name: string) {
    return this.find<LxdInstance>(`${API}/instances/${enc(name)}`, `read instance ${name}`);
  }

  async createInstance(input: Parameters<LxdClient['createInstance']>[0]) {
    await this.operate({
      method: 'POST',
      path: `${API}/instances`,
      body: { type: 'container', ...input },
      what: `create instance ${input.name}`,
    });
  }

  async updateInstance(name: string, input: Parameters<LxdClient['updateInstance']>[1]) {
    await this.operate({
      method: 'PUT',
      path: `${API}/instances/${enc(name)}`,
      body: input,
      what: `update instance ${name}`,
    });
  }

  getInstanceState(name: string) {
    return this.call<LxdInstanceState>({
      method: 'GET',
      path: `${API}/instances/${enc(name)}/state`,
      what: `read the state of instance ${name}`,
    });
  }

  async setInstanceState(
    name: string,
    action: 'start' | 'stop' | 'restart',
    options: { force?: boolean; timeoutS?: number } = {},
  ) {
    await this.operate({
      method: 'PUT',
      path: `${API}/instances/${enc(name)}/state`,
      body: { action, force: options.force ?? false, timeout: options.timeoutS ?? 30 },
      what: `${action} instance ${name}`,
    });
  }

  async deleteInstance(name: string) {
    await this.operate({
      method: 'DELETE',
      path: `${API}/instances/${enc(name)}`,
      what: `delete instance ${name}`,
    });
  }

  async exec(
    name: string,
    argv: readonly string[],
    options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
  ): Promise<LxdExecResult> {
    const what = `run \`${argv.join(' ')}\` in instance ${name}`;
    const op = await this.operate(
      {
        method: 'POST',
        path: `${API}/instances/${enc(name)}/exec`,
        body: {
          command: argv,
          environment: options.env ?? {},
          ...(options.cwd ? { cwd: options.cwd } : {}),
          'wait-for-websocket': false,
          interactive: false,
          'record-output': true,
        },
        what,
      },
      options.timeoutMs ?? this.operationTimeoutMs,
    );
    const meta = (op.metadata ?? {}) as { return?: number; output?: Record<string, string> };
    const [stdout, stderr] = await Promise.all([
      this.readExecLog(meta.output?.['1'], name),
      this.readExecLog(meta.output?.['2'], name),
    ]);
    return { exitCode: meta.return ?? -1, stdout, stderr };
  }

  /** Read then delete one recorded exec output file (they pile up under the instance's logs otherwise). */
  private async readExecLog(path: string | undefined, name: string): Promise<string> {
    if (!path) return '';
    const what = `read exec output of instance ${name}`;
    const res = await sendRequest(this.socketPath, {
      method: 'GET',
      path,
      what,
      timeoutMs: this.timeoutMs,
      signal: this.signal,
    });
    if (res.status >= 400) parseEnvelope(res, what);
    await sendRequest(this.socketPath, {
      method: 'DELETE',
      path,
      what: `delete exec output of instance ${name}`,
      timeoutMs: this.timeoutMs,
      signal: this.signal,
    });
    return res.body.toString('utf8');
  }

  async pushFile(name: string, path: string, content: string | Buffer, mode = 0o600) {
    const what = `write ${path} in instance ${name}`;
    await this.call({
      method: 'POST',
      path: `${API}/instances/${enc(name)}/files?path=${enc(path)}`,
      rawBody: Buffer.isBuffer(content) ? content : Buffer.from(content),
      headers: {
        'Content-Type': 'application/octet-stream',
        'X-LXD-type': 'file',
        'X-LXD-mode': mode.toString(8).padStart(4, '0'),
        'X-LXD-uid': '0',
        'X-LXD-gid': '0',
        'X-LXD-write': 'overwrite',
      },
      what,
    });
  }
}
