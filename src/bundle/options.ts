// Charm option checks (juju-spec.md §2.2 "Options"): unknown option names and wrong types, from the
// charms' config.yaml files compacted into charm-options.json by scripts/gen-charm-options.ts.
import charmOptions from './charm-options.json' with { type: 'json' };
import { parseCharmUrl, q, type JujuFlavour } from '../juju/syntax.js';
import { isMap, type PlainMap } from './merge.js';

type OptionType = 'string' | 'int' | 'float' | 'boolean';
const TABLE = charmOptions as Record<string, Record<string, OptionType[]>>;
const GO_BOOLS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];

/** Whether Juju's schema checker for the type coerces the value (numbers and bools from strings too). */
function fits(value: unknown, type: OptionType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return (
        (typeof value === 'number' && Number.isInteger(value)) ||
        (typeof value === 'string' && /^[-+]?\d+$/.test(value))
      );
    case 'float':
      return (
        typeof value === 'number' ||
        (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      );
    case 'boolean':
      return typeof value === 'boolean' || (typeof value === 'string' && GO_BOOLS.includes(value));
  }
}

/** Go's %#v of a bundle value: strings quoted, numbers and bools bare. */
function goValue(value: unknown): string {
  return typeof value === 'string' ? q(value) : String(value);
}

/**
 * The charm's option table, when the project knows the charm, and whether its names are complete: the
 * table holds each charm's current Charmhub config (plus its 16.10 branch), so unknown names are errors
 * for Charmhub charms; Charm Store (`cs:`) revisions span config versions the table does not hold, so
 * there only the types of known options are checked.
 */
export function knownCharmOptions(
  charm: string,
  juju: JujuFlavour,
): { options: Record<string, OptionType[]>; namesComplete: boolean } | undefined {
  const url = parseCharmUrl(charm, juju);
  if (typeof url === 'string') return undefined;
  const options = TABLE[url.name];
  return options ? { options, namesComplete: url.schema === 'ch' } : undefined;
}

export function checkCharmOptions(name: string, app: PlainMap, juju: JujuFlavour): string[] {
  const charm = typeof app.charm === 'string' ? app.charm : '';
  const known = knownCharmOptions(charm, juju);
  if (!known || !isMap(app.options)) return [];
  const errors: string[] = [];
  for (const [option, value] of Object.entries(app.options)) {
    const types = known.options[option];
    if (!types) {
      if (known.namesComplete)
        errors.push(
          `cannot validate application ${q(name)}: configuration option ${q(option)} not found in charm ${q(charm)}`,
        );
      continue;
    }
    // include-file:// and include-base64:// values are resolved by Juju later
    if (value === null || (typeof value === 'string' && value.startsWith('include-'))) continue;
    if (!types.some((type) => fits(value, type))) {
      errors.push(
        `cannot validate application ${q(name)}: option ${q(option)} expected ${types[0]}, got ${goValue(value)}`,
      );
    }
  }
  return errors;
}
