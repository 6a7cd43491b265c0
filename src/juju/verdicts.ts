import { JobError, formatDuration } from '../util/errors.js';
import type { ReadyResult } from './readiness.js';
import type { StatusDigest } from './status.js';

// What a lab makes of Juju's status: the progress line per application while waiting, the Juju-level
// smoke checks, and the error a readiness wait that did not end ready becomes. Pure.

/** One line of progress per application while waiting: units ready/wanted, current message. */
export interface ApplicationProgress {
  application: string;
  ready: number;
  wanted: number;
  message: string;
}

export interface WaitProgress {
  elapsedMs: number;
  applications: ApplicationProgress[];
}

/** One Juju-level smoke check (every application active, no unit in error, ...). */
export interface JujuCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Units per application (subordinates included), as the progress line shows them. */
export function progressOf(digest: StatusDigest, elapsedMs: number): WaitProgress {
  return {
    elapsedMs,
    applications: Object.entries(digest.applications)
      .map(([application, app]) => ({
        application,
        ready: app.ready,
        wanted: app.units,
        message: app.errors.length ? `error on ${app.errors.join(', ')}` : app.message,
      }))
      .sort((a, b) => a.application.localeCompare(b.application)),
  };
}

/** Juju-level smoke checks from one status digest. */
export function jujuChecksOf(digest: StatusDigest, unitless: readonly string[]): JujuCheck[] {
  const apps = Object.entries(digest.applications).filter(
    ([name, a]) => !(unitless.includes(name) && a.units === 0),
  );
  const notReady = apps
    .filter(([, a]) => a.units === 0 || a.ready < a.units)
    .map(([name, a]) => `${name} ${a.ready}/${a.units}`);
  const errors = apps.flatMap(([, a]) => a.errors);
  const machines = Object.entries(digest.machines);
  const badMachines = machines.filter(([, m]) => m.state !== 'started').map(([id, m]) => `${id} ${m.state}`);
  const leaderless = apps
    .filter(([, a]) => a.units > 0 && !a.subordinate && a.leaders !== 1)
    .map(([name]) => name);
  return [
    {
      name: 'juju: every application active and idle',
      ok: notReady.length === 0,
      detail: notReady.length ? `not ready: ${notReady.join(', ')}` : `${apps.length} applications`,
    },
    {
      name: 'juju: no unit in error',
      ok: errors.length === 0,
      detail: errors.length ? errors.join(', ') : `${digest.units.total} units`,
    },
    {
      name: 'juju: every machine started',
      ok: badMachines.length === 0,
      detail: badMachines.length ? badMachines.join(', ') : `${machines.length} machines`,
    },
    {
      name: 'juju: one leader per application',
      ok: leaderless.length === 0,
      detail: leaderless.length ? `no single leader: ${leaderless.join(', ')}` : 'ok',
    },
  ];
}

/** A readiness wait that did not end ready becomes a JobError naming the unit, the cause and the log. */
export function throwUnlessReady(result: ReadyResult): void {
  switch (result.kind) {
    case 'ready':
      return;
    case 'failed': {
      const where = result.unit
        ? `unit ${result.unit}`
        : result.machine
          ? `machine ${result.machine}`
          : 'the model';
      throw new JobError(
        `${where} failed: ${result.message}${result.hook ? ` (hook ${result.hook})` : ''}; ${result.hint}`,
        {
          details: result.log.length ? ['last lines of its debug-log:', ...result.log.slice(-10)] : [],
        },
      );
    }
    case 'stalled':
      throw new JobError(`readiness stalled: ${result.hint}`, { details: result.reasons.slice(0, 10) });
    case 'timeout':
      throw new JobError(`the model was not ready after ${formatDuration(result.elapsedMs)}`, {
        details: result.reasons.slice(0, 10),
      });
  }
}
