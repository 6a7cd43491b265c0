import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { ExitCode, FileAccessError, InputError, LxdstackError } from '../util/errors.js';

// The lab's ledger, .lxdstack/<lab>/state.json: every resource the lab created (or host value it changed)
// and every step's progress, recorded before and after each action, so that a run killed anywhere can
// resume, and teardown removes exactly what was created, newest first.

export const LEDGER_FILE = 'state.json';

export type ResourceKind =
  | 'controller'
  | 'model'
  | 'lxd-profile'
  | 'lxd-network'
  | 'lxd-network-config'
  | 'lxd-pool'
  | 'lxd-instance'
  | 'lxd-device'
  | 'sysctl'
  | 'host-route'
  | 'file'
  | 'openstack-image'
  | 'openstack-flavor'
  | 'openstack-keypair'
  | 'openstack-network'
  | 'openstack-subnet'
  | 'openstack-router'
  | 'openstack-security-group-rule';

export interface ResourceRecord {
  id: string;
  kind: ResourceKind;
  /** What identifies it where it lives (a model name, a profile name, a sysctl key, an OpenStack id). */
  name: string;
  /** `creating` is written before acting: after a crash it means "may exist, check before assuming". */
  state: 'creating' | 'created' | 'removed';
  runId: string;
  createdAt: string;
  /** For host changes: the value before we changed it, so teardown can restore it. */
  previous?: unknown;
  data?: Record<string, unknown>;
}

export interface StepRecord {
  state: 'running' | 'done' | 'skipped' | 'failed';
  runId: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

export interface RunRecord {
  id: string;
  command: string;
  pid: number;
  startedAt: string;
}

export interface LedgerState {
  version: 1;
  lab: string;
  simulated: boolean;
  runs: RunRecord[];
  steps: Record<string, StepRecord>;
  resources: ResourceRecord[];
}

function now(): string {
  return new Date().toISOString();
}

function emptyLedgerState(lab: string, simulated: boolean): LedgerState {
  return { version: 1, lab, simulated, runs: [], steps: {}, resources: [] };
}

export function newRunId(): string {
  return `${new Date().toISOString().replaceAll(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

/**
 * The ledger could not be written (disk full, read-only, permissions): exit 2, one sentence. What the run
 * did since the last good write is not recorded; the next run's postconditions look at the world again.
 */
export class LedgerWriteError extends LxdstackError {
  constructor(path: string, cause: unknown) {
    const why = new FileAccessError('write', path, cause).message;
    super(
      `${why}; the lab's ledger is not up to date. Free space or fix the folder's permissions, then run the same command again.`,
      {
        exitCode: ExitCode.usage,
        cause,
      },
    );
  }
}

export class Ledger {
  /** The last write queued; never rejected, so one failed write does not fail the ones after it. */
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly state: LedgerState,
    readonly runId: string,
    /** False for a dry run's view: it reads the lab's ledger and never writes it. */
    private readonly persistent = true,
  ) {}

  /** The lab's ledger as it is, for a dry run or a plan: changes stay in memory, nothing is written. */
  static async inspect(labDirectory: string, lab: string, simulated = false): Promise<Ledger> {
    const path = join(labDirectory, LEDGER_FILE);
    const state = (await readLedgerState(path)) ?? emptyLedgerState(lab, simulated);
    return new Ledger(path, state, 'dry-run', false);
  }

  /** Open (or start) the ledger of the lab in `labDirectory` for one run of `command`. */
  static async open(labDirectory: string, lab: string, command: string, simulated = false): Promise<Ledger> {
    const path = join(labDirectory, LEDGER_FILE);
    const state = (await readLedgerState(path)) ?? emptyLedgerState(lab, simulated);
    const runId = newRunId();
    state.runs.push({ id: runId, command, pid: process.pid, startedAt: now() });
    const ledger = new Ledger(path, state, runId);
    await ledger.save();
    return ledger;
  }

  get snapshot(): Readonly<LedgerState> {
    return structuredClone(this.state);
  }

  get simulated(): boolean {
    return this.state.simulated;
  }

  /** Resources that exist or may exist (created, or begun and not known to be gone), oldest first. */
  liveResources(kind?: ResourceKind): ResourceRecord[] {
    return this.state.resources.filter(
      (r) => r.state !== 'removed' && (kind === undefined || r.kind === kind),
    );
  }

  findResource(kind: ResourceKind, name: string): ResourceRecord | undefined {
    return this.liveResources(kind).find((r) => r.name === name);
  }

  step(name: string): StepRecord | undefined {
    return this.state.steps[name];
  }

  /** Record the intent to create a resource before acting; returns its record. */
  async beginResource(input: {
    kind: ResourceKind;
    name: string;
    previous?: unknown;
    data?: Record<string, unknown>;
  }): Promise<ResourceRecord> {
    const existing = this.findResource(input.kind, input.name);
    if (existing) return existing;
    const record: ResourceRecord = {
      id: randomBytes(6).toString('hex'),
      kind: input.kind,
      name: input.name,
      state: 'creating',
      runId: this.runId,
      createdAt: now(),
      ...(input.previous === undefined ? {} : { previous: input.previous }),
      ...(input.data === undefined ? {} : { data: input.data }),
    };
    this.state.resources.push(record);
    await this.save();
    return record;
  }

  async commitResource(id: string, data?: Record<string, unknown>): Promise<void> {
    const record = this.byId(id);
    record.state = 'created';
    if (data) record.data = { ...record.data, ...data };
    await this.save();
  }

  /** Begin + commit in one, for a resource whose creation has already happened. */
  async recordResource(input: {
    kind: ResourceKind;
    name: string;
    previous?: unknown;
    data?: Record<string, unknown>;
  }): Promise<ResourceRecord> {
    const record = await this.beginResource(input);
    await this.commitResource(record.id, input.data);
    return record;
  }

  async releaseResource(id: string): Promise<void> {
    this.byId(id).state = 'removed';
    await this.save();
  }

  async stepStarted(name: string): Promise<void> {
    this.state.steps[name] = { state: 'running', runId: this.runId, startedAt: now() };
    await this.save();
  }

  async stepFinished(name: string, state: 'done' | 'skipped' | 'failed', error?: string): Promise<void> {
    const previous = this.state.steps[name];
    this.state.steps[name] = {
      state,
      runId: this.runId,
      startedAt: previous?.startedAt ?? now(),
      finishedAt: now(),
      ...(error === undefined ? {} : { error }),
    };
    await this.save();
  }

  /** Forget step progress (teardown done, or redeploy starting over); resources are kept as history. */
  async resetSteps(names?: readonly string[]): Promise<void> {
    for (const name of names ?? Object.keys(this.state.steps)) delete this.state.steps[name];
    await this.save();
  }

  private byId(id: string): ResourceRecord {
    const record = this.state.resources.find((r) => r.id === id);
    if (!record) throw new Error(`ledger has no resource ${id}`);
    return record;
  }

  /**
   * Writes are serialised and atomic. Each writes the whole ledger as it is when asked, and each succeeds
   * or fails on its own: an earlier failure does not fail a later write.
   */
  save(): Promise<void> {
    if (!this.persistent) return Promise.resolve();
    const text = `${JSON.stringify(this.state, null, 2)}\n`;
    const write = this.queue
      .then(() => writeFileAtomic(this.path, text, 0o600))
      .catch((error: unknown) => {
        throw new LedgerWriteError(this.path, error);
      });
    this.queue = write.catch(() => undefined);
    return write;
  }
}

export async function readLedgerState(path: string): Promise<LedgerState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as LedgerState;
    if (state.version !== 1 || !Array.isArray(state.resources)) throw new Error('unknown format');
    return state;
  } catch (error) {
    throw new InputError(
      `${path} is not a ledger lxdstack can read (${(error as Error).message}); move it aside to start the lab afresh.`,
    );
  }
}
