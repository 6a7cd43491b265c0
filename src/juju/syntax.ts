import { UBUNTU_VERSIONS } from './series.js';

export { UBUNTU_VERSIONS };
// Juju's value syntaxes as shared/reference/juju-spec.md §2.3-2.8 states them: names, placement, charm URLs,
// bases, constraints, storage and devices. Each parser returns null when the value is fine, else Juju's
// own message (the validator wraps it the way Juju does).

export type JujuFlavour = '2.9' | '3';

const NUMBER = '(?:0|[1-9][0-9]*)';
const APPLICATION = '(?:[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*)';
const RELATION = '[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*';
const SPACE = '(?:[a-z0-9]+(?:-[a-z0-9]+)*)';

export const applicationNamePattern = new RegExp(`^${APPLICATION}$`);
export const relationNamePattern = new RegExp(`^${RELATION}$`);
export const machineIdPattern = new RegExp(`^${NUMBER}$`);
export const seriesPattern = /^[a-z]+([a-z0-9]+)?$/;
const charmNamePattern = /^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/;
const spacePattern = new RegExp(`^${SPACE}$`);
const placementPattern = new RegExp(`^(?:([a-z]+):)?(?:(${APPLICATION})(?:/(${NUMBER}))?|(${NUMBER}))$`);
const endpointPattern = new RegExp(`^(${APPLICATION}):(${RELATION})$`);

/** Go's %q for a string: JSON quoting matches it for everything a bundle holds. */
export function q(value: unknown): string {
  return JSON.stringify(String(value));
}

/** Go's %q for a []string: `["a" "b"]`. */
export function qList(values: readonly unknown[]): string {
  return `[${values.map(q).join(' ')}]`;
}

export type Placement =
  | { kind: 'new'; container?: string }
  | { kind: 'machine'; machine: string; container?: string }
  | { kind: 'application'; application: string; unit?: number; container?: string };

/** `ParsePlacement`: null when the syntax is invalid. */
export function parsePlacement(text: string): Placement | null {
  const match = placementPattern.exec(text);
  if (!match) return null;
  const [, container, application, unit, machine] = match;
  if (machine !== undefined) return { kind: 'machine', machine, ...(container ? { container } : {}) };
  if (application === 'new') {
    return unit === undefined ? { kind: 'new', ...(container ? { container } : {}) } : null;
  }
  return {
    kind: 'application',
    application: application!,
    ...(unit === undefined ? {} : { unit: Number(unit) }),
    ...(container ? { container } : {}),
  };
}

/** A relation endpoint `app:rel` or a bare `app`; null when the syntax is invalid. */
export function parseEndpoint(text: string): { application: string; relation?: string } | null {
  const full = endpointPattern.exec(text);
  if (full) return { application: full[1]!, relation: full[2]! };
  return applicationNamePattern.test(text) ? { application: text } : null;
}

const OSES = ['ubuntu', 'centos', 'windows', 'osx', 'opensuse', 'genericlinux'];
const RISKS = ['stable', 'candidate', 'beta', 'edge'];

export interface Base {
  os: string;
  track: string;
  risk: string;
}

/** `charm.ParseBase`: `<os>@<channel>`; null when invalid. */
export function parseBase(text: string): Base | null {
  const parts = text.split('@');
  if (parts.length !== 2) return null;
  const os = parts[0]!.toLowerCase();
  if (!OSES.includes(os)) return null;
  const channel = parts[1]!.split('/');
  if (channel.length > 3 || channel.some((part) => part === '')) return null;
  if (RISKS.includes(channel[0]!)) return { os, track: '', risk: channel[0]! };
  const risk = channel[1] ?? 'stable';
  if (!RISKS.includes(risk)) return null;
  return { os, track: channel[0]!, risk };
}

export function formatBase(base: Base): string {
  return `${base.os}@${base.track ? `${base.track}/` : ''}${base.risk}`;
}

/** Whether a series and a base name the same Ubuntu release (unknown series are left to Juju). */
export function seriesMatchesBase(series: string, base: Base): boolean {
  const version = UBUNTU_VERSIONS[series];
  return version === undefined || (base.os === 'ubuntu' && base.track === version);
}

export interface CharmUrl {
  schema: 'ch' | 'cs' | 'local';
  name: string;
  series?: string;
  revision?: number;
  arch?: string;
  user?: string;
}

const ARCHES_3 = ['amd64', 'arm64', 'ppc64el', 's390x', 'riscv64'];
const ARCHES_29 = ['amd64', 'i386', 'armhf', 'arm64', 'ppc64el', 's390x', 'riscv64'];

function splitRevision(last: string): { name: string; revision?: number } {
  const match = /^(.*)-(\d+)$/.exec(last);
  return match ? { name: match[1]!, revision: Number(match[2]) } : { name: last };
}

/** `charm.ParseURL` of the flavour: the URL's parts, or Juju's error text. */
export function parseCharmUrl(url: string, juju: JujuFlavour): CharmUrl | string {
  const colon = url.indexOf(':');
  const schema = colon >= 0 ? url.slice(0, colon) : juju === '3' ? 'ch' : 'cs';
  const rest = colon >= 0 ? url.slice(colon + 1) : url;
  const allowed = juju === '3' ? ['ch', 'local'] : ['ch', 'cs', 'local'];
  if (!allowed.includes(schema)) return `cannot parse URL ${q(url)}: schema ${q(schema)} not valid`;
  const parts = rest.split('/');
  let user: string | undefined;
  if (parts[0]?.startsWith('~')) {
    if (schema === 'ch') return `charmhub charm or bundle URL with user name: ${q(url)} not valid`;
    user = parts.shift()!.slice(1);
  }
  if (parts.length === 0 || parts.length > 3 || parts.some((p) => p === '')) {
    return `cannot parse URL ${q(url)}: invalid URL path`;
  }
  const { name, revision } = splitRevision(parts.pop()!);
  if (!charmNamePattern.test(name))
    return `cannot parse name and/or revision in URL ${q(url)}: name ${q(name)} not valid`;
  let arch: string | undefined;
  let series: string | undefined;
  const arches = juju === '3' ? ARCHES_3 : ARCHES_29;
  if (parts.length === 2) [arch, series] = parts;
  else if (parts.length === 1 && schema === 'ch' && arches.includes(parts[0]!)) arch = parts[0];
  else if (parts.length === 1) series = parts[0];
  if (arch !== undefined && !arches.includes(arch))
    return `cannot parse URL ${q(url)}: architecture name ${q(arch)} not valid`;
  if (series !== undefined && !seriesPattern.test(series))
    return `cannot parse URL ${q(url)}: series name ${q(series)} not valid`;
  return {
    schema: schema as CharmUrl['schema'],
    name,
    ...(series === undefined ? {} : { series }),
    ...(revision === undefined ? {} : { revision }),
    ...(arch === undefined ? {} : { arch }),
    ...(user === undefined ? {} : { user }),
  };
}

/** The normalised form Juju prints (`ch:wordpress-9`). */
export function formatCharmUrl(url: CharmUrl): string {
  const path = [url.user ? `~${url.user}` : '', url.arch ?? '', url.series ?? ''].filter(Boolean);
  return `${url.schema}:${[...path, url.name].join('/')}${url.revision === undefined ? '' : `-${url.revision}`}`;
}

/** Constraint names Juju knows (`image-id` is Juju 3 only and checked apart). */
export const CONSTRAINT_KEYS = [
  'arch',
  'container',
  'cores',
  'cpu-cores',
  'cpu-power',
  'mem',
  'root-disk',
  'root-disk-source',
  'tags',
  'instance-role',
  'instance-type',
  'spaces',
  'virt-type',
  'zones',
  'allocate-public-ip',
];
const CONTAINER_TYPES = ['lxd', 'kvm', 'none', ''];
const SIZE_SUFFIXES = ['M', 'G', 'T', 'P'];
const GO_BOOLS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];

/** Split on spaces that are not escaped with `\`, as Juju 3 does. */
function splitConstraints(raw: string): string[] {
  return raw
    .trim()
    .split(/(?<!\\) /)
    .filter((part) => part !== '')
    .map((part) => part.replace(/\\ /g, ' '));
}

function constraintValueError(name: string, value: string, juju: JujuFlavour): string | null {
  switch (name) {
    case 'arch':
      return value === '' || (juju === '3' ? ARCHES_3 : ARCHES_29).includes(value)
        ? null
        : `${q(value)} not recognized`;
    case 'container':
      return CONTAINER_TYPES.includes(value) ? null : `invalid container type ${q(value)}`;
    case 'cores':
    case 'cpu-cores':
    case 'cpu-power':
      return value === '' || /^\d+$/.test(value) ? null : 'must be a non-negative integer';
    case 'mem':
    case 'root-disk': {
      const number = SIZE_SUFFIXES.includes(value.slice(-1)) ? value.slice(0, -1) : value;
      return value === '' || (/^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(number) && Number(number) >= 0)
        ? null
        : 'must be a non-negative float with optional M/G/T/P suffix';
    }
    case 'spaces': {
      const bad = value
        .split(',')
        .filter((s) => s !== '')
        .find((s) => !spacePattern.test(s.replace(/^\^/, '')));
      return bad === undefined ? null : `${q(bad.replace(/^\^/, ''))} is not a valid space name`;
    }
    case 'allocate-public-ip':
      return value === '' || GO_BOOLS.includes(value) ? null : "must be 'true' or 'false'";
    default:
      return null;
  }
}

/**
 * `constraints.Parse` (plus the base bundle's refusal of image-id in Juju 3): null when valid, else the
 * error Juju reports after `invalid constraints "<raw>" in ...: `.
 */
export function constraintsError(raw: string, juju: JujuFlavour, inBaseBundle: boolean): string | null {
  const seen = new Set<string>();
  for (const part of splitConstraints(raw)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `malformed constraint ${q(part)}`;
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    const known = CONSTRAINT_KEYS.includes(name) || (juju === '3' && name === 'image-id');
    if (!known) return `unknown constraint ${q(name)}`;
    const canonical = name === 'cpu-cores' ? 'cores' : name;
    if (seen.has(canonical)) return `bad ${q(name)} constraint: already set`;
    seen.add(canonical);
    const problem = constraintValueError(name, value, juju);
    if (problem) return `bad ${q(name)} constraint: ${problem}`;
    if (name === 'image-id' && inBaseBundle) return "'image-id' constraint in a base bundle not supported";
  }
  return null;
}

const storagePoolPattern = /^[a-zA-Z]+[-?a-zA-Z0-9]*$/;
const storageSizePattern = /^\d+(\.\d+)?[MGTPEZY](iB|B)?$/;

/** `storage.ParseConstraints`: `[pool],[count],[size]` in any order. */
export function storageError(raw: string): string | null {
  const fields = raw.split(',').filter((f) => f !== '');
  if (fields.length === 0) return 'storage constraints require at least one field to be specified';
  let pool: string | undefined;
  for (const field of fields) {
    if (/^-?\d+$/.test(field)) {
      if (Number(field) <= 0) return `cannot parse count: count must be greater than zero, got ${q(field)}`;
    } else if (storageSizePattern.test(field)) {
      continue;
    } else if (storagePoolPattern.test(field)) {
      if (pool !== undefined)
        return `pool name is already set to ${q(pool)}, new value ${q(field)} not valid`;
      pool = field;
    } else {
      return `unrecognized storage constraint ${q(field)} not valid`;
    }
  }
  return null;
}

/** `devices.ParseConstraints`: `[<count>,]<type>[,k=v;...]`. */
export function deviceError(raw: string): string | null {
  const fields = raw.split(',');
  const usage =
    'cannot parse device constraints string, supported format is [<count>,]<device-class>|<vendor/type>[,<key>=<value>;...]';
  if (fields.length < 1 || fields.length > 3 || fields.some((f) => f === '')) return usage;
  let index = 0;
  if (/^-?\d+$/.test(fields[0]!)) {
    if (Number(fields[0]) <= 0) return `count must be greater than zero, got ${q(fields[0])}`;
    index = 1;
  }
  if (fields.length - index === 0) return usage;
  const attributes = fields[index + 1];
  if (attributes !== undefined) {
    for (const pair of attributes.split(';')) {
      if (!/^[^=]+=[^=]+$/.test(pair)) return `device attribute key/value pair has bad format: ${q(pair)}`;
    }
  } else if (fields.length - index > 1) {
    return usage;
  }
  return null;
}

const offerUrlPattern = new RegExp(
  `^(?:[a-zA-Z0-9_-]+:)?(?:[a-zA-Z0-9@._+-]+/)?[a-z0-9-]+\\.${APPLICATION}(?::${RELATION})?$`,
);

export function isValidOfferUrl(url: string): boolean {
  return offerUrlPattern.test(url);
}

const cidrPattern = /^(?:(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

export function isValidCidr(text: string): boolean {
  if (!cidrPattern.test(text)) return false;
  const [address, bits] = text.split('/') as [string, string];
  if (address.includes('.')) return address.split('.').every((o) => Number(o) <= 255) && Number(bits) <= 32;
  return Number(bits) <= 128;
}
