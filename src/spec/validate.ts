import { InputError } from '../util/errors.js';
import { defaultSpec, specKeyPaths } from './defaults.js';
import { parseCidr, parseIpv4, isHostIn, cidrsOverlap, type Cidr } from './net.js';
import { PROFILES, PROFILE_NAMES, isProfileName, type ProfileName } from './profiles.js';
import { labSpecSchema, type LabSpec } from './schema.js';
import { closest } from './suggest.js';

// answers (lab.yaml and flags) -> a validated LabSpec, or one InputError listing every problem. Pure.

export type Answers = Record<string, unknown>;

const OPTIONAL_PATHS = ['adminPassword', 'proxy.http', 'proxy.https', 'proxy.noProxy'];
const ALL_PATHS = [...specKeyPaths(), ...OPTIONAL_PATHS];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep merge where later layers win; arrays and scalars replace, mappings merge. */
export function mergeAnswers(...layers: readonly unknown[]): Answers {
  const out: Answers = {};
  for (const layer of layers) {
    if (!isPlainObject(layer)) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      out[key] = isPlainObject(value) && isPlainObject(out[key]) ? mergeAnswers(out[key], value) : value;
    }
  }
  return out;
}

function get(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((acc, key) => (isPlainObject(acc) ? acc[key] : undefined), object);
}

function structuralErrors(candidate: Answers): string[] {
  const result = labSpecSchema.safeParse(candidate);
  if (result.success) return [];
  const errors: string[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = path ? `${path}.${key}` : key;
        const siblings = ALL_PATHS.filter(
          (p) => p.split('.').length === full.split('.').length && p.startsWith(path),
        );
        const hint = closest(full, siblings);
        errors.push(
          `${full}: unknown key${hint ? `; did you mean ${hint}?` : `; valid keys here: ${siblings.map((s) => s.split('.').pop()).join(', ')}`}`,
        );
      }
      continue;
    }
    errors.push(`${path || '(top level)'}: ${describeIssue(issue, get(candidate, path))}`);
  }
  return errors;
}

function describeIssue(issue: { code: string; message: string }, value: unknown): string {
  if (issue.code === 'invalid_value' && issue.message.includes('expected one of')) {
    return `${JSON.stringify(value)} is not valid; ${issue.message.replace(/^Invalid option: /, '')}`;
  }
  if (issue.code === 'invalid_type') {
    return `${issue.message.replace(/^Invalid input: /, '')}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
  }
  return issue.message;
}

function checkCidr(errors: string[], path: string, value: unknown): Cidr | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseCidr(value);
  if ('error' in parsed) {
    errors.push(`${path}: ${parsed.error}`);
    return undefined;
  }
  return parsed;
}

function checkAddress(errors: string[], path: string, value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseIpv4(value);
  if (parsed === undefined) errors.push(`${path}: "${value}" is not an IPv4 address`);
  return parsed;
}

function networkErrors(candidate: Answers): string[] {
  const errors: string[] = [];
  const net = candidate.network;
  if (!isPlainObject(net)) return errors;
  const external = checkCidr(errors, 'network.externalCidr', net.externalCidr);
  const tenant = checkCidr(errors, 'network.tenantCidr', net.tenantCidr);
  const gateway = checkAddress(errors, 'network.gateway', net.gateway);
  const start = checkAddress(errors, 'network.floatingStart', net.floatingStart);
  const end = checkAddress(errors, 'network.floatingEnd', net.floatingEnd);
  if (Array.isArray(net.dnsServers)) {
    net.dnsServers.forEach((server, i) => checkAddress(errors, `network.dnsServers.${i}`, server));
  }
  if (external && gateway !== undefined && !isHostIn(external, gateway)) {
    errors.push(`network.gateway: ${net.gateway} is outside network.externalCidr ${external.text}`);
  }
  if (external) {
    for (const [key, address] of [
      ['floatingStart', start],
      ['floatingEnd', end],
    ] as const) {
      if (address !== undefined && !isHostIn(external, address)) {
        errors.push(`network.${key}: ${net[key]} is outside network.externalCidr ${external.text}`);
      }
    }
  }
  if (start !== undefined && end !== undefined && start > end) {
    errors.push(
      `network.floatingEnd: ${net.floatingEnd} comes before network.floatingStart ${net.floatingStart}`,
    );
  }
  if (
    start !== undefined &&
    end !== undefined &&
    gateway !== undefined &&
    gateway >= start &&
    gateway <= end
  ) {
    errors.push(
      `network.floatingStart: the floating-IP range ${net.floatingStart}-${net.floatingEnd} covers the gateway ${net.gateway}; start it after the gateway`,
    );
  }
  if (external && tenant && cidrsOverlap(external, tenant)) {
    errors.push(
      `network.tenantCidr: ${tenant.text} overlaps network.externalCidr ${external.text}; pick a separate range`,
    );
  }
  return errors;
}

function profileErrors(candidate: Answers, profile: ProfileName): string[] {
  const errors: string[] = [];
  const facts = PROFILES[profile];
  if (typeof candidate.series === 'string' && !facts.seriesChoices.includes(candidate.series)) {
    errors.push(`series: ${profile} deploys on ${facts.seriesChoices.join(' or ')}, not ${candidate.series}`);
  }
  if (
    typeof candidate.openstackRelease === 'string' &&
    !facts.releases.includes(candidate.openstackRelease)
  ) {
    errors.push(
      `openstackRelease: ${profile} offers ${facts.releases.join(', ')}, not ${candidate.openstackRelease}`,
    );
  }
  const components = isPlainObject(candidate.components) ? candidate.components : {};
  for (const [component, on] of Object.entries(components)) {
    if (on === true && !(component in facts.components)) {
      errors.push(`components.${component}: the ${profile} profile has no ${component}; set it to false`);
    }
  }
  if (components.radosgw === true && components.ceph === false) {
    errors.push('components.radosgw: the RADOS gateway needs ceph; turn components.ceph on or radosgw off');
  }
  if (components.cinder === true && components.ceph === false) {
    errors.push(
      'components.cinder: cinder stores volumes in ceph here; turn components.ceph on or cinder off',
    );
  }
  if (candidate.engine === 'conjure-up' && facts.juju !== '2.9') {
    errors.push(
      `engine: conjure-up drives the 2016-2019 nova-lxd spells; use juju for the ${profile} profile`,
    );
  }
  const target = isPlainObject(candidate.target) ? candidate.target : {};
  if ((target.kind === 'maas' || target.kind === 'lxd-cluster') && target.cloud === 'localhost') {
    errors.push(
      `target.cloud: a ${target.kind} target needs the name of that cloud as juju knows it (juju clouds), not localhost`,
    );
  }
  return errors;
}

export interface BuildSpecOptions {
  /** Named in errors: the answers file, or "flags". */
  source: string;
  /** Flags: they win over the answers. */
  overrides?: Answers;
}

/** Build the LabSpec from answers plus flags over the profile's defaults; throws one InputError with every problem. */
export function buildSpec(answers: unknown, options: BuildSpecOptions): LabSpec {
  const errors: string[] = [];
  if (answers !== null && answers !== undefined && !isPlainObject(answers)) {
    throw new InputError(
      `${options.source}: the answers must be a mapping of keys (name:, profile:, ...), not ${Array.isArray(answers) ? 'a list' : 'a single value'}`,
    );
  }
  const given = mergeAnswers(answers ?? {}, options.overrides ?? {});
  let profile: ProfileName = 'tutorial-2016';
  if (given.profile !== undefined) {
    if (isProfileName(given.profile)) profile = given.profile;
    else {
      const hint = typeof given.profile === 'string' ? closest(given.profile, PROFILE_NAMES) : undefined;
      errors.push(
        `profile: unknown profile ${JSON.stringify(given.profile)}; ${hint ? `did you mean ${hint}? ` : ''}choose one of ${PROFILE_NAMES.join(', ')}`,
      );
    }
  }
  const candidate = mergeAnswers(defaultSpec(profile), given, { profile });
  errors.push(
    ...structuralErrors(candidate),
    ...networkErrors(candidate),
    ...profileErrors(candidate, profile),
  );
  if (errors.length > 0) {
    throw new InputError(
      `${options.source}: ${errors.length} problem${errors.length === 1 ? '' : 's'} in the lab answers; fix them and run again:`,
      {
        details: [...new Set(errors)],
      },
    );
  }
  return labSpecSchema.parse(candidate);
}
