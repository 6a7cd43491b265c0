// What a finished charm action returned, from `juju run --format json` (3.x: keyed by unit name) or
// `juju run-action --wait --format json` (2.9: keyed by `unit-<app>-<n>`); the task shape is the same
// (juju-spec.md §4.9). Pure.

export interface ActionOutcome {
  unit: string;
  status: string;
  message?: string;
  results: Record<string, unknown>;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The first task of an action's JSON output; undefined when the output holds none. */
export function actionOutcome(doc: unknown): ActionOutcome | undefined {
  for (const [key, value] of Object.entries(record(doc) ?? {})) {
    const task = record(value);
    if (!task || typeof task.status !== 'string') continue;
    return {
      unit: typeof task.unit === 'string' ? task.unit : key,
      status: task.status,
      ...(typeof task.message === 'string' ? { message: task.message } : {}),
      results: record(task.results) ?? {},
    };
  }
  return undefined;
}
