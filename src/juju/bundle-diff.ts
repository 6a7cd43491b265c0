import { counted } from '../util/text.js';
import { parseYaml } from '../util/yaml.js';

// What `juju diff-bundle` says is still to do: the deploy step's postcondition. The model matches the
// bundle when nothing the bundle asks for is missing. Tolerated: applications or relations only the model
// has (added by hand), and more units than the bundle asks for (`lxdstack scale`). Pure.

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The bundle's wishes the model does not meet yet, one phrase each; empty when the deploy is complete. */
export function pendingBundleChanges(diffYaml: string): string[] {
  const diff = parseYaml(diffYaml.trim() || '{}', 'juju diff-bundle output');
  if (!isMap(diff)) return [];
  const pending: string[] = [];
  for (const [name, change] of Object.entries(isMap(diff.applications) ? diff.applications : {})) {
    if (!isMap(change)) continue;
    if (change.missing === 'bundle') continue;
    if (change.missing === 'model') {
      pending.push(`application ${name} is not in the model`);
      continue;
    }
    for (const [field, values] of Object.entries(change)) {
      if (field === 'num_units' && isMap(values) && Number(values.model) >= Number(values.bundle)) continue;
      pending.push(
        field === 'num_units' && isMap(values)
          ? `${name} has ${String(values.model)} of ${counted(Number(values.bundle), 'unit')}`
          : `${name}: ${field} differs`,
      );
    }
  }
  const relations = isMap(diff.relations) ? diff.relations : {};
  const missing = Array.isArray(relations['bundle-additions']) ? relations['bundle-additions'] : [];
  for (const pair of missing)
    pending.push(`relation ${Array.isArray(pair) ? pair.join(' - ') : String(pair)} is missing`);
  for (const section of Object.keys(diff).filter((k) => k !== 'applications' && k !== 'relations'))
    pending.push(`${section} differ`);
  return pending;
}
