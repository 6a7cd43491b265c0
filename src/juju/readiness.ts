import { InterruptedError, errorMessage } from '../util/errors.js';
import { counted } from '../util/text.js';
import type { JujuClient } from './client.js';
import { JujuError } from './errors.js';
import { digestStatus, type JujuStatus, type StatusDigest } from './status.js';

// Readiness as our own loop (juju wait-for is 3.x only and gone in Juju 4), by juju-spec.md §5.7:
// no machine or unit in error, every agent idle, every workload active (OpenStack: "Unit is ready"),
// one leader per application, all held for a settle period. The decision is a pure function of the
// status, what came before and the time; the loop around it only polls, adapts its pace and explains.

export interface ReadinessException {
  application: string;
  /** The workload status this application may keep (e.g. `blocked`). */
  status: string;
  /** If given, the workload message must start with it. */
  message?: string;
}

export interface ReadinessRules {
  /** How long everything must stay ready before we believe it. */
  settleMs: number;
  /** Nothing changed for this long while not ready: stalled. */
  stallMs: number;
  exceptions?: readonly ReadinessException[];
  /**
   * Units each principal application must have at least (the bundle's num_units; 0 for a subordinate);
   * an application named here but missing from the model is not ready. Not named: no count is required.
   */
  expectedUnits?: Readonly<Record<string, number>>;
  /** Active units must also show a message starting with one of these (OpenStack charms: "Unit is ready"). */
  readyMessages?: readonly string[];
}

export interface ReadinessHistory {
  /** What the statuses looked like at the last poll. */
  fingerprint: string;
  /** When that fingerprint was first seen. */
  changedAt: number;
  /** Since when every condition has held, if it does. */
  goodSince?: number;
}

export type ReadinessVerdict =
  | { kind: 'ready' }
  | { kind: 'waiting'; reasons: string[]; settling: boolean }
  | { kind: 'failed'; unit?: string; machine?: string; hook?: string; message: string; hint: string }
  | { kind: 'stalled'; reasons: string[]; hint: string };

export interface ReadinessAssessment {
  verdict: ReadinessVerdict;
  history: ReadinessHistory;
  /** Whether anything changed since the previous poll. */
  changed: boolean;
}

const HOOK_FAILED = /^hook failed: "([^"]+)"/;

function fingerprintOf(status: JujuStatus): string {
  const parts: string[] = [];
  for (const unit of Object.values(status.units)) {
    parts.push(
      `${unit.name}|${unit.workload.current}|${unit.workload.message ?? ''}|${unit.agent.current}|${unit.agent.message ?? ''}|${unit.leader}`,
    );
  }
  for (const machine of Object.values(status.machines)) {
    parts.push(`${machine.id}|${machine.agent.current}|${machine.instance.current}|${machine.dnsName ?? ''}`);
  }
  for (const app of Object.values(status.applications))
    parts.push(`${app.name}|${app.units.length}|${app.life ?? ''}`);
  return parts.sort().join('\n');
}

function allowed(
  rules: ReadinessRules,
  application: string,
  workload: string | undefined,
  message: string | undefined,
): boolean {
  return (rules.exceptions ?? []).some(
    (e) =>
      e.application === application &&
      e.status === workload &&
      (e.message === undefined || (message ?? '').startsWith(e.message)),
  );
}

/** Fatal conditions: a machine or unit in error, an agent failed or lost. */
function findFailure(status: JujuStatus): Extract<ReadinessVerdict, { kind: 'failed' }> | undefined {
  for (const machine of Object.values(status.machines)) {
    const instance = machine.instance.current;
    if (
      instance === 'provisioning error' ||
      instance === 'error' ||
      machine.agent.current === 'error' ||
      machine.agent.current === 'down'
    ) {
      const message =
        machine.instance.message ?? machine.agent.message ?? `${instance}/${machine.agent.current}`;
      return {
        kind: 'failed',
        machine: machine.id,
        message: `machine ${machine.id} is ${machine.agent.current === 'down' ? 'down' : 'in error'}: ${message}`,
        hint:
          'Check the container with `lxc info ' +
          (machine.instanceId ?? `<machine ${machine.id}>`) +
          "` and LXD's log (`lxc monitor --type=logging`); images and the storage pool are the usual causes.",
      };
    }
  }
  for (const unit of Object.values(status.units)) {
    if (unit.workload.current === 'error') {
      const message = unit.workload.message ?? 'error';
      const hook = HOOK_FAILED.exec(message)?.[1];
      return {
        kind: 'failed',
        unit: unit.name,
        ...(hook ? { hook } : {}),
        message: `${unit.name} is in error: ${message}`,
        hint: hook
          ? `The ${hook} hook of ${unit.name} failed; read its log below (\`juju debug-log --include ${unit.name}\`), fix the cause, then \`juju resolved ${unit.name}\`.`
          : `Read \`juju debug-log --include ${unit.name}\` for what went wrong.`,
      };
    }
    if (unit.agent.current === 'lost' || unit.agent.current === 'failed') {
      return {
        kind: 'failed',
        unit: unit.name,
        message: `the agent of ${unit.name} is ${unit.agent.current}: ${unit.agent.message ?? 'agent is not communicating with the server'}`,
        hint: `Check that ${unit.name}'s machine is still running (\`lxc list\`) and has network; a container restarted by LXD needs its jujud agent back (\`juju ssh ${unit.name} sudo systemctl restart jujud-*\`).`,
      };
    }
  }
  return undefined;
}

/** Why the model is not ready yet: one line per thing that blocks. */
export function blockingReasons(status: JujuStatus, rules: ReadinessRules): string[] {
  const reasons: string[] = [];
  for (const machine of Object.values(status.machines)) {
    if (machine.statusError !== undefined)
      reasons.push(`machine ${machine.id}: status unavailable (${machine.statusError})`);
    else if (machine.agent.current !== 'started') {
      const noAddress =
        machine.instance.current === 'running' &&
        machine.dnsName === undefined &&
        machine.addresses.length === 0;
      reasons.push(
        `machine ${machine.id}: ${machine.agent.current ?? 'unknown'}${noAddress ? ', running but no address yet' : ''}`,
      );
    }
  }
  for (const [name, expected] of Object.entries(rules.expectedUnits ?? {})) {
    if (expected > 0 && !status.applications[name])
      reasons.push(`${name}: not in the model (0 of ${counted(expected, 'unit')})`);
  }
  for (const app of Object.values(status.applications)) {
    if (app.life === 'dying' || app.life === 'dead') reasons.push(`${app.name}: ${app.life}`);
    const expected = rules.expectedUnits?.[app.name];
    const principalUnits = app.units.filter((u) => status.units[u]?.principal === undefined);
    // Without the bundle's counts an application with no units may be a subordinate nothing relates to yet.
    if (!app.subordinate && expected !== undefined && principalUnits.length < expected) {
      reasons.push(`${app.name}: ${principalUnits.length} of ${counted(expected, 'unit')}`);
    }
    let leaders = 0;
    for (const name of app.units) {
      const unit = status.units[name];
      if (!unit) continue;
      if (unit.leader) leaders += 1;
      if (unit.statusError !== undefined) {
        reasons.push(`${name}: status unavailable (${unit.statusError})`);
        continue;
      }
      const workload = unit.workload.current;
      const message = unit.workload.message;
      const agentOk = unit.agent.current === 'idle';
      if (allowed(rules, app.name, workload, message) && agentOk) continue;
      const messageOk =
        !rules.readyMessages || rules.readyMessages.some((prefix) => (message ?? '').startsWith(prefix));
      if (workload === 'active' && agentOk && messageOk) continue;
      const agentText = agentOk
        ? ''
        : ` (agent ${unit.agent.current ?? 'unknown'}${unit.agent.message ? `: ${unit.agent.message}` : ''})`;
      reasons.push(`${name}: ${workload ?? 'unknown'}${message ? ` "${message}"` : ''}${agentText}`);
    }
    if (app.units.length > 0 && leaders !== 1)
      reasons.push(`${app.name}: ${leaders === 0 ? 'no leader yet' : `${leaders} leaders`}`);
  }
  return reasons;
}

/** Where to look when nothing moves, from the known stuck patterns. */
export function stallHint(status: JujuStatus, stalledMs: number): string {
  const minutes = Math.max(1, Math.round(stalledMs / 60_000));
  const unstarted = Object.values(status.machines).filter(
    (m) => m.agent.current !== 'started' && m.dnsName === undefined && m.addresses.length === 0,
  );
  const noAddress = unstarted.filter((m) => m.instance.current === 'running');
  if (noAddress.length > 0) {
    return `${noAddress.length === 1 ? 'Machine' : 'Machines'} ${noAddress.map((m) => m.id).join(', ')} ${noAddress.length === 1 ? 'runs' : 'run'} but never got an address: check the LXD bridge and its DHCP (\`lxc network show lxdbr0\`, \`lxc list\` shows no IPv4), and that dnsmasq runs.`;
  }
  if (unstarted.length > 0) {
    return `${unstarted.length === 1 ? 'Machine' : 'Machines'} ${unstarted.map((m) => m.id).join(', ')} ${unstarted.length === 1 ? 'was' : 'were'} never created: check \`lxc list\`, the storage pool (\`lxc storage info\`) and image downloads (\`lxc image list\`, the proxy settings).`;
  }
  const waitingForMachine = Object.values(status.units).filter(
    (u) => u.workload.message === 'waiting for machine',
  );
  if (waitingForMachine.length > 0) {
    return `Units are still waiting for their machines (${waitingForMachine.map((u) => u.name).join(', ')}): check \`lxc list\` for the containers and \`juju status --format=yaml\` for provisioning errors.`;
  }
  const blocked = Object.values(status.units).filter((u) => u.workload.current === 'blocked');
  if (blocked.length > 0) {
    return `Units are blocked (${blocked.map((u) => `${u.name}: ${u.workload.message ?? ''}`).join('; ')}): they need a relation or configuration; declare an exception if that is expected.`;
  }
  return `Nothing changed for ${minutes} min: read \`juju debug-log\` for the units listed and check the host's load.`;
}

/** One readiness decision. Pure: the same status, history and time always give the same answer. */
export function assessReadiness(
  status: JujuStatus,
  previous: ReadinessHistory | undefined,
  now: number,
  rules: ReadinessRules,
): ReadinessAssessment {
  const fingerprint = fingerprintOf(status);
  const changed = previous === undefined || previous.fingerprint !== fingerprint;
  const history: ReadinessHistory = { fingerprint, changedAt: changed ? now : previous.changedAt };
  const failure = findFailure(status);
  if (failure) return { verdict: failure, history, changed };
  const reasons = blockingReasons(status, rules);
  if (reasons.length === 0) {
    history.goodSince = previous?.goodSince ?? now;
    if (now - history.goodSince >= rules.settleMs) return { verdict: { kind: 'ready' }, history, changed };
    return { verdict: { kind: 'waiting', reasons: [], settling: true }, history, changed };
  }
  if (now - history.changedAt >= rules.stallMs) {
    return {
      verdict: { kind: 'stalled', reasons, hint: stallHint(status, now - history.changedAt) },
      history,
      changed,
    };
  }
  return { verdict: { kind: 'waiting', reasons, settling: false }, history, changed };
}

export interface ReadinessClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: ReadinessClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface WaitOptions extends Partial<Omit<ReadinessRules, 'settleMs' | 'stallMs'>> {
  timeoutMs: number;
  settleMs: number;
  stallMs: number;
  /** Poll pace: `minMs` while things change, growing to `maxMs` while quiet. */
  poll?: { minMs: number; maxMs: number };
  /** Consecutive failed status calls tolerated (a controller busy for a moment) before giving up. */
  statusRetries?: number;
  onProgress?: (digest: StatusDigest, elapsedMs: number, verdict: ReadinessVerdict) => void;
  signal?: AbortSignal;
  /** Lines of debug-log to fetch for a failed unit. */
  logLines?: number;
  clock?: ReadinessClock;
}

export type ReadyResult =
  | { kind: 'ready'; elapsedMs: number; polls: number; digest: StatusDigest }
  | {
      kind: 'failed';
      elapsedMs: number;
      polls: number;
      digest: StatusDigest;
      unit?: string;
      machine?: string;
      hook?: string;
      message: string;
      hint: string;
      /** The last lines of `juju debug-log --include <unit>` (empty if they could not be read). */
      log: string[];
    }
  | {
      kind: 'stalled';
      elapsedMs: number;
      polls: number;
      digest: StatusDigest;
      reasons: string[];
      hint: string;
    }
  | { kind: 'timeout'; elapsedMs: number; polls: number; digest?: StatusDigest; reasons: string[] };

const DEFAULT_POLL = { minMs: 2000, maxMs: 15_000 };

/**
 * Poll `juju status` until the model is ready, fails, stalls or the time runs out. One status call at a
 * time; the pace quickens when something changed and slows while quiet.
 */
export async function waitForReady(
  client: JujuClient,
  model: string,
  options: WaitOptions,
): Promise<ReadyResult> {
  const clock = options.clock ?? realClock;
  const poll = options.poll ?? DEFAULT_POLL;
  const rules: ReadinessRules = {
    settleMs: options.settleMs,
    stallMs: options.stallMs,
    exceptions: options.exceptions,
    expectedUnits: options.expectedUnits,
    readyMessages: options.readyMessages,
  };
  const started = clock.now();
  let history: ReadinessHistory | undefined;
  let interval = poll.minMs;
  let polls = 0;
  let failures = 0;
  let lastDigest: StatusDigest | undefined;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    let status: JujuStatus;
    try {
      status = await client.status(model);
      failures = 0;
    } catch (error) {
      failures += 1;
      if (!(error instanceof JujuError) || failures > (options.statusRetries ?? 3)) throw error;
      const elapsedMs = clock.now() - started;
      if (elapsedMs >= options.timeoutMs) {
        return {
          kind: 'timeout',
          elapsedMs,
          polls,
          digest: lastDigest,
          reasons: [`juju status failed: ${errorMessage(error)}`],
        };
      }
      await clock.sleep(interval, options.signal);
      continue;
    }
    polls += 1;
    const now = clock.now();
    const elapsedMs = now - started;
    const assessment = assessReadiness(status, history, now, rules);
    history = assessment.history;
    const digest = digestStatus(status);
    lastDigest = digest;
    const { verdict } = assessment;
    options.onProgress?.(digest, elapsedMs, verdict);
    if (verdict.kind === 'ready') return { kind: 'ready', elapsedMs, polls, digest };
    if (verdict.kind === 'failed') {
      const log = verdict.unit ? await tailUnitLog(client, model, verdict.unit, options.logLines ?? 20) : [];
      return { ...verdict, kind: 'failed', elapsedMs, polls, digest, log };
    }
    if (verdict.kind === 'stalled') {
      return { kind: 'stalled', elapsedMs, polls, digest, reasons: verdict.reasons, hint: verdict.hint };
    }
    const remaining = options.timeoutMs - elapsedMs;
    if (remaining <= 0) return { kind: 'timeout', elapsedMs, polls, digest, reasons: verdict.reasons };
    interval =
      assessment.changed || verdict.settling ? poll.minMs : Math.min(poll.maxMs, Math.round(interval * 1.5));
    await clock.sleep(Math.min(interval, remaining), options.signal);
  }
}

async function tailUnitLog(
  client: JujuClient,
  model: string,
  unit: string,
  lines: number,
): Promise<string[]> {
  try {
    return await client.debugLog({ model, include: [unit], lines });
  } catch {
    // The failure itself is the news; a log we cannot read must not hide it.
    return [];
  }
}
