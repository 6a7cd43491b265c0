// Juju's overlay merge (juju-spec.md §1.1, CHARM12 overlay.go applyOverlay): documents after the first are
// applied to the base in order. Pure: plain parsed YAML in, a new plain object out.

export type PlainMap = Record<string, unknown>;

export function isMap(value: unknown): value is PlainMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Fields whose values are maps: merged key by key rather than replaced. */
const MAP_FIELDS = new Set([
  'options',
  'annotations',
  'storage',
  'devices',
  'bindings',
  'resources',
  'offers',
  'exposed-endpoints',
]);
/** Fields that may only appear in an overlay (`source:"overlay-only"`). */
export const OVERLAY_ONLY_FIELDS = ['offers', 'exposed-endpoints'];

function applicationsOf(doc: PlainMap): PlainMap | undefined {
  const apps = doc.applications;
  return isMap(apps) ? apps : undefined;
}

function relationMentions(relation: unknown, name: string): boolean {
  return (
    Array.isArray(relation) &&
    relation.some(
      (endpoint) => typeof endpoint === 'string' && (endpoint === name || endpoint.startsWith(`${name}:`)),
    )
  );
}

function mergeApplication(base: PlainMap, overlay: PlainMap): PlainMap {
  const merged: PlainMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (!MAP_FIELDS.has(key) || !isMap(value) || !isMap(merged[key])) {
      merged[key] = value;
      continue;
    }
    if (Object.keys(value).length === 0) {
      merged[key] = {};
      continue;
    }
    const inner: PlainMap = { ...(merged[key] as PlainMap) };
    for (const [innerKey, innerValue] of Object.entries(value)) {
      // a nil non-scalar deletes the key; YAML gives us null for both, so null deletes
      if (innerValue === null) delete inner[innerKey];
      else inner[innerKey] = innerValue;
    }
    merged[key] = inner;
  }
  return merged;
}

function removeEntry(doc: PlainMap, section: 'applications' | 'saas', name: string): void {
  const entries = doc[section];
  if (isMap(entries)) delete entries[name];
  if (Array.isArray(doc.relations)) {
    doc.relations = doc.relations.filter((relation) => !relationMentions(relation, name));
  }
}

/**
 * Apply one overlay to a copy of the base. Returns the merged bundle and errors in Juju's words (an
 * overlay that uses `services:` is refused).
 */
export function applyOverlay(base: PlainMap, overlay: PlainMap): { merged: PlainMap; errors: string[] } {
  if ('services' in overlay) {
    return {
      merged: base,
      errors: [
        "bundle overlay file used deprecated 'services' key, this is not valid for bundle overlay files",
      ],
    };
  }
  const merged: PlainMap = { ...base };
  merged.applications = { ...(applicationsOf(base) ?? {}) };
  if (Array.isArray(base.relations)) merged.relations = [...base.relations];
  if (isMap(base.saas)) merged.saas = { ...base.saas };

  for (const section of ['applications', 'saas'] as const) {
    const entries = overlay[section];
    if (!isMap(entries)) continue;
    for (const [name, body] of Object.entries(entries)) {
      if (body === null || body === undefined) {
        removeEntry(merged, section, name);
        continue;
      }
      const target = (isMap(merged[section]) ? merged[section] : (merged[section] = {})) as PlainMap;
      const existing = target[name];
      target[name] = isMap(existing) && isMap(body) ? mergeApplication(existing, body) : body;
    }
  }
  if (overlay.series !== undefined) merged.series = overlay.series;
  if (Array.isArray(overlay.relations)) {
    merged.relations = [...(Array.isArray(merged.relations) ? merged.relations : []), ...overlay.relations];
  }
  if (overlay.machines !== undefined) merged.machines = overlay.machines;
  return { merged, errors: [] };
}

/** Apply every overlay in order; errors from each are collected. */
export function mergeBundle(
  base: PlainMap,
  overlays: readonly PlainMap[],
): { merged: PlainMap; errors: string[] } {
  let merged = base;
  const errors: string[] = [];
  for (const overlay of overlays) {
    const result = applyOverlay(merged, overlay);
    merged = result.merged;
    errors.push(...result.errors);
  }
  return { merged, errors };
}
