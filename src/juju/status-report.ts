import { postDeploymentAdvice } from './post-deployment.js';
import { assessReadiness, type ReadinessVerdict } from './readiness.js';
import { compareUnitNames, digestStatus, type JujuStatus, type StatusDigest } from './status.js';

// What `lxdstack status` shows: the issue's JSON shape and a compact table. Pure.

export interface StatusReport {
  model: string;
  ready: boolean;
  simulated: boolean;
  applications: Record<
    string,
    { charm: string; units: number; ready: number; errors: string[]; message: string }
  >;
  machines: number;
  /** Each machine that hosts principal units: its units, constraints and hardware. */
  placement: Record<string, MachinePlacement>;
  blocking: string[];
  /** What to do about units that wait for a post-deployment step (vault's), one line per step. */
  advice: string[];
}

export interface MachinePlacement {
  units: string[];
  constraints?: string;
  hardware?: string;
}

/** Principal units by the machine (or container) they run on. */
function placementOf(status: JujuStatus): Record<string, MachinePlacement> {
  const placement: Record<string, MachinePlacement> = {};
  const units = Object.values(status.units)
    .filter((unit) => unit.machine !== undefined)
    .sort((a, b) => compareUnitNames(a.name, b.name));
  for (const unit of units) {
    const id = unit.machine!;
    const entry = (placement[id] ??= { units: [] });
    entry.units.push(unit.name);
    const machine = status.machines[id];
    if (machine?.constraints !== undefined) entry.constraints = machine.constraints;
    if (machine?.hardware !== undefined) entry.hardware = machine.hardware;
  }
  return placement;
}

/** Units whose message shows they wait for a post-deployment step, grouped by the advice. */
function adviceOf(status: JujuStatus, vaultManual: boolean): string[] {
  const byAdvice = new Map<string, string[]>();
  for (const unit of Object.values(status.units).sort((a, b) => compareUnitNames(a.name, b.name))) {
    if (unit.workload.current === 'active') continue;
    const advice = postDeploymentAdvice(unit.workload.message ?? '', vaultManual);
    if (advice) byAdvice.set(advice, [...(byAdvice.get(advice) ?? []), unit.name]);
  }
  return [...byAdvice].map(([advice, units]) => `${units.join(', ')}: ${advice}`);
}

/** Readiness at this instant (no settle period: one look), and what blocks it. */
export function statusReport(
  model: string,
  status: JujuStatus,
  simulated: boolean,
  options: { vaultManual?: boolean } = {},
): StatusReport {
  const digest = digestStatus(status);
  const verdict = assessReadiness(status, undefined, 0, { settleMs: 0, stallMs: Infinity }).verdict;
  return {
    model,
    ready: verdict.kind === 'ready',
    simulated,
    applications: Object.fromEntries(
      Object.entries(digest.applications)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, app]) => [
          name,
          { charm: app.charm, units: app.units, ready: app.ready, errors: app.errors, message: app.message },
        ]),
    ),
    machines: Object.keys(digest.machines).length,
    placement: placementOf(status),
    blocking: blockingOf(verdict),
    advice: adviceOf(status, options.vaultManual ?? false),
  };
}

function blockingOf(verdict: ReadinessVerdict): string[] {
  switch (verdict.kind) {
    case 'ready':
      return [];
    case 'failed':
      return [`${verdict.message} (${verdict.hint})`];
    case 'waiting':
    case 'stalled':
      return verdict.reasons;
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]! + 2)))
      .join('')
      .trimEnd(),
  );
}

export function machineSummary(digest: StatusDigest): string {
  const counts = new Map<string, number>();
  for (const machine of Object.values(digest.machines))
    counts.set(machine.state, (counts.get(machine.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

/** The human form: applications, machines, and what blocks readiness. */
export function formatStatusReport(report: StatusReport, machinesLine: string): string[] {
  const lines = [`Model ${report.model}: ${report.ready ? 'ready' : 'not ready'}`, ''];
  const rows = [['App', 'Charm', 'Ready', 'Errors', 'Message']];
  for (const [name, app] of Object.entries(report.applications)) {
    rows.push([name, app.charm, `${app.ready}/${app.units}`, app.errors.join(',') || '-', app.message]);
  }
  if (rows.length > 1) lines.push(...table(rows));
  else lines.push('No applications.');
  lines.push('', `Machines: ${report.machines}${machinesLine ? ` (${machinesLine})` : ''}`);
  const constrained = Object.entries(report.placement).filter(([, m]) => m.constraints !== undefined);
  if (constrained.length > 0) {
    lines.push(
      ...table([
        ['  Machine', 'Constraints', 'Units'],
        ...constrained.map(([id, m]) => [`  ${id}`, m.constraints!, m.units.join(', ')]),
      ]),
    );
  }
  if (report.blocking.length > 0) {
    lines.push('', 'Blocking readiness:', ...report.blocking.map((reason) => `  - ${reason}`));
  }
  if (report.advice.length > 0) lines.push('', 'Next:', ...report.advice.map((line) => `  - ${line}`));
  return lines;
}
