import { JujuError } from './errors.js';

// `juju show-unit <unit> --format json`: what a unit publishes on its relations (relation-info, one
// entry per relation, `local-unit.data` being the unit's own settings). Pure.

type RelationInfo = { endpoint?: unknown; 'local-unit'?: { data?: Record<string, unknown> } };

export function parseShowUnit(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const first = text.split('\n')[0] ?? '';
    throw new JujuError(
      'juju show-unit',
      0,
      `printed no JSON: ${first}`,
      'run `juju show-unit` by hand to see why',
    );
  }
}

/** The settings `unit` publishes on its relation at `endpoint` (e.g. keystone's identity-service). */
export function publishedRelationData(
  doc: unknown,
  unit: string,
  endpoint: string,
): Record<string, string> | undefined {
  const shown = (doc as Record<string, { 'relation-info'?: RelationInfo[] }> | null)?.[unit];
  const relation = shown?.['relation-info']?.find((r) => r.endpoint === endpoint);
  const data = relation?.['local-unit']?.data;
  if (!data) return undefined;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, String(value)]));
}
