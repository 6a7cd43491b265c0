// How Juju decodes a bundle document into its Go structs (juju-spec.md §1.2-1.4): which key holds the
// applications in each flavour, and the type errors goyaml would raise. Pure.
import { isMap, type PlainMap } from './merge.js';
import type { JujuFlavour } from '../juju/syntax.js';

type FieldType = 'string' | 'int' | 'bool' | 'map' | 'list';

const TOP_FIELDS: Record<string, FieldType> = {
  bundle: 'string',
  applications: 'map',
  machines: 'map',
  saas: 'map',
  series: 'string',
  'default-base': 'string',
  relations: 'list',
  tags: 'list',
  description: 'string',
};

const APPLICATION_FIELDS: Record<string, FieldType> = {
  charm: 'string',
  channel: 'string',
  revision: 'int',
  series: 'string',
  base: 'string',
  num_units: 'int',
  scale: 'int',
  to: 'list',
  placement: 'string',
  expose: 'bool',
  'exposed-endpoints': 'map',
  options: 'map',
  annotations: 'map',
  constraints: 'string',
  storage: 'map',
  devices: 'map',
  resources: 'map',
  bindings: 'map',
  trust: 'bool',
  plan: 'string',
  offers: 'map',
};

const MACHINE_FIELDS: Record<string, FieldType> = {
  constraints: 'string',
  annotations: 'map',
  series: 'string',
  base: 'string',
};

/** YAML 1.1 booleans, which goyaml reads as bool and the YAML 1.2 parser leaves as strings. */
const YAML11_TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'];
const YAML11_FALSE = ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'];

export function yamlBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && YAML11_TRUE.includes(value)) return true;
  if (typeof value === 'string' && YAML11_FALSE.includes(value)) return false;
  return undefined;
}

function yamlTag(value: unknown): string {
  if (Array.isArray(value)) return '!!seq';
  if (isMap(value)) return '!!map';
  if (typeof value === 'boolean') return '!!bool';
  if (typeof value === 'number') return Number.isInteger(value) ? '!!int' : '!!float';
  return '!!str';
}

function typeError(value: unknown, type: FieldType): string | null {
  if (value === null || value === undefined) return null;
  const ok =
    type === 'string'
      ? typeof value !== 'object'
      : type === 'int'
        ? typeof value === 'number' && Number.isInteger(value)
        : type === 'bool'
          ? yamlBool(value) !== undefined
          : type === 'map'
            ? isMap(value)
            : Array.isArray(value);
  if (ok) return null;
  const goType = { string: 'string', int: 'int', bool: 'bool', map: 'map', list: 'slice' }[type];
  const shown = typeof value === 'object' ? '' : ` \`${String(value)}\``;
  return `cannot unmarshal ${yamlTag(value)}${shown} into ${goType}`;
}

function checkFields(
  where: string,
  body: PlainMap,
  fields: Record<string, FieldType>,
  errors: string[],
): void {
  for (const [key, type] of Object.entries(fields)) {
    const problem = typeError(body[key], type);
    if (problem) errors.push(`${problem} (${where}${key})`);
  }
}

/** goyaml's unmarshal errors for document n, in Juju's framing; empty when the types are right. */
export function shapeErrors(doc: PlainMap, index: number): string[] {
  const errors: string[] = [];
  checkFields('', doc, TOP_FIELDS, errors);
  for (const section of ['applications', 'services']) {
    const apps = doc[section];
    if (!isMap(apps)) continue;
    for (const [name, body] of Object.entries(apps)) {
      if (body === null) continue;
      if (!isMap(body))
        errors.push(`cannot unmarshal ${yamlTag(body)} into charm.ApplicationSpec (${section}.${name})`);
      else checkFields(`${section}.${name}.`, body, APPLICATION_FIELDS, errors);
    }
  }
  if (isMap(doc.machines)) {
    for (const [id, body] of Object.entries(doc.machines)) {
      if (body === null) continue;
      if (!isMap(body))
        errors.push(`cannot unmarshal ${yamlTag(body)} into charm.MachineSpec (machines.${id})`);
      else checkFields(`machines.${id}.`, body, MACHINE_FIELDS, errors);
    }
  }
  if (Array.isArray(doc.relations)) {
    doc.relations.forEach((relation, i) => {
      if (!Array.isArray(relation))
        errors.push(`cannot unmarshal ${yamlTag(relation)} into []string (relations[${i}])`);
    });
  }
  return errors.map((e) => `unmarshal document ${index}: yaml: unmarshal errors: ${e}`);
}

/**
 * The applications as the flavour reads them: Juju 2.9 still accepts the legacy `services:` key; Juju 3
 * treats it as an unknown field, so such a bundle has no applications.
 */
export function bundleApplications(
  doc: PlainMap,
  juju: JujuFlavour,
): { applications: PlainMap; errors: string[] } {
  const apps = isMap(doc.applications) ? doc.applications : undefined;
  const services = isMap(doc.services) ? doc.services : undefined;
  if (juju === '2.9' && services) {
    if (apps) return { applications: apps, errors: ['cannot specify both applications and services'] };
    return { applications: services, errors: [] };
  }
  return { applications: apps ?? {}, errors: [] };
}

/** Units of an application: `num_units`, or `scale` (Kubernetes' name for it) when that is not set. */
export function numUnits(app: PlainMap): number {
  const units = typeof app.num_units === 'number' ? app.num_units : 0;
  return units === 0 && typeof app.scale === 'number' && app.scale > 0 ? app.scale : units;
}

export function placementList(app: PlainMap): string[] {
  return Array.isArray(app.to) ? app.to.map((p) => String(p)) : [];
}

/** Fields a flavour's decoder does not know: `base`/`default-base` are Juju 3's, `services` is 2.9's. */
function knownFields(
  fields: Record<string, FieldType>,
  juju: JujuFlavour,
  extra: string[] = [],
): Set<string> {
  const names = Object.keys(fields).filter((f) => juju === '3' || (f !== 'base' && f !== 'default-base'));
  return new Set([...names, ...extra]);
}

/**
 * What Juju's strict decoder reports for document n and then ignores (`juju deploy --dry-run` prints them
 * as "These fields ... will be ignored during deployment"): unknown top-level, application and machine keys.
 */
export function unknownFieldWarnings(doc: PlainMap, index: number, juju: JujuFlavour): string[] {
  const warnings: string[] = [];
  const note = (field: string, where: string) =>
    warnings.push(`unmarshal document ${index}: field ${field} not found in ${where}`);
  const top = knownFields(TOP_FIELDS, juju, juju === '2.9' ? ['services'] : []);
  for (const key of Object.keys(doc)) if (!top.has(key)) note(key, 'bundle');
  const appFields = knownFields(APPLICATION_FIELDS, juju);
  const { applications } = bundleApplications(doc, juju);
  for (const [name, app] of Object.entries(applications)) {
    if (!isMap(app)) continue;
    for (const key of Object.keys(app))
      if (!appFields.has(key)) note(key, `applications (application ${JSON.stringify(name)})`);
  }
  const machineFields = knownFields(MACHINE_FIELDS, juju);
  for (const [id, machine] of Object.entries(isMap(doc.machines) ? doc.machines : {})) {
    if (!isMap(machine)) continue;
    for (const key of Object.keys(machine))
      if (!machineFields.has(key)) note(key, `machines (machine ${JSON.stringify(id)})`);
  }
  return warnings;
}
