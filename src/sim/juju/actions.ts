import type { CharmWorld } from '../charms/engine.js';
import type { SimApplication, SimUnit } from '../state.js';
import { tokenIsValid } from '../vault/server.js';
import { SIM_VAULT_ROOT_CA } from '../vault/root-ca.js';

// Charm actions in the simulator: what an action needs and does comes from the charm's behaviour table
// (`actions`, e.g. vault's authorize-charm / generate-root-ca / get-root-ca); an action no table describes
// completes and echoes its parameters. The output shapes are Juju's: 3.x `juju run` (juju-spec.md §4.9)
// and 2.9 `juju run-action --wait`, whose document is keyed `unit-<app>-<n>` with `UnitId` and a
// timing block (openstack/charm-deployment-guide app-certificate-management.rst, `get-csr` sample).

export interface ActionOutcome {
  status: 'completed' | 'failed';
  message: string;
  results: Record<string, unknown>;
}

/** Juju validates parameters against the action's schema before queueing (jsonschema's wording). */
export class ActionRefused extends Error {}

function missingParameterError(name: string, params: Record<string, unknown>): string {
  return `validation failed: (root) : "${name}" property is missing and required, given ${JSON.stringify(params)}`;
}

/**
 * Run `action` on `unit` against the model: checks the table's preconditions, sets its facts at `now`
 * and returns the task's outcome. Throws ActionRefused when Juju itself would not queue it.
 */
export function performCharmAction(
  world: CharmWorld,
  app: SimApplication,
  unit: SimUnit,
  action: string,
  params: Record<string, unknown>,
  now: number,
): ActionOutcome {
  const spec = world.behaviour(app)?.actions?.[action];
  if (!spec) return { status: 'completed', message: '', results: { ...params, 'return-code': 0 } };
  for (const name of spec.required ?? [])
    if (params[name] === undefined) throw new ActionRefused(missingParameterError(name, params));
  if (spec.leaderOnly && world.leaderOf(app)?.name !== unit.name)
    return { status: 'failed', message: spec.leaderOnly, results: { 'return-code': 0 } };
  // the charm's code raises when Vault refuses it: Juju reports the exit status and keeps the traceback
  const raised = (line: string): ActionOutcome => ({
    status: 'failed',
    message: 'exit status 1',
    results: { 'return-code': 1, stderr: `Traceback (most recent call last):\n  ...\n${line}\n` },
  });
  for (const need of spec.needs ?? []) {
    const at = world.factAt(app, need.fact, need.scope === 'unit' ? unit : undefined);
    if (at > now) return raised(need.raises);
  }
  if (spec.token) {
    const token = params[spec.token];
    if (!tokenIsValid(app, typeof token === 'string' ? token : undefined, now))
      return raised('hvac.exceptions.Forbidden: permission denied');
  }
  const facts = { ...app.facts };
  for (const fact of spec.sets ?? []) facts[fact] = Math.min(facts[fact] ?? Infinity, now);
  app.facts = facts;
  const results: Record<string, unknown> = { 'return-code': 0 };
  if (spec.returnsRootCa && world.factAt(app, 'ca') <= now) results.output = SIM_VAULT_ROOT_CA;
  return { status: 'completed', message: '', results };
}

/** Go's default time format, as Juju prints action timings. */
function goTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} +0000 UTC`;
}

export interface ActionTask {
  id: string;
  unit: string;
  outcome: ActionOutcome;
  enqueued: number;
  completed: number;
}

/** The document `juju run` (3.x) or `juju run-action --wait` (2.9) prints for finished tasks. */
export function actionDocument(flavour: '2.9' | '3', tasks: ActionTask[]): Record<string, unknown> {
  return Object.fromEntries(
    tasks.map((task) => {
      const timing = {
        completed: goTime(task.completed),
        enqueued: goTime(task.enqueued),
        started: goTime(task.enqueued),
      };
      const body = {
        id: task.id,
        ...(task.outcome.message ? { message: task.outcome.message } : {}),
        results: task.outcome.results,
        status: task.outcome.status,
        timing,
      };
      return flavour === '2.9'
        ? [`unit-${task.unit.replace('/', '-')}`, { UnitId: task.unit, ...body }]
        : [task.unit, { ...body, unit: task.unit }];
    }),
  );
}

/** Juju 3.x fails `run`/`exec` when a task failed or its command exited non-zero (juju-spec.md §4.9). */
export function failedTasksError(failed: { id: string; returnCode: unknown }[]): string | undefined {
  if (failed.length === 0) return undefined;
  const lines = failed.map((t) => ` - id "${t.id}" with return code ${String(t.returnCode ?? 0)}`);
  const noun = failed.length === 1 ? 'task' : 'tasks';
  return `the following ${noun} failed:\n${lines.join('\n')}\n\nuse 'juju show-task' to inspect the failure`;
}

/** An action's parameters: the `--params` file's map, then `key=value` arguments over it. */
export function actionParams(fromFile: unknown, pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> =
    typeof fromFile === 'object' && fromFile !== null && !Array.isArray(fromFile) ? { ...fromFile } : {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ActionRefused(`argument "${pair}" must be of the form key...=value`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}
