import { CONSTRAINT_KEYS, constraintsError } from '../juju/syntax.js';
import { InputError } from '../util/errors.js';
import { defaultMachines, defaultSpec, specKeyPaths } from './defaults.js';
import { parseCidr, parseIpv4, isHostIn, cidrsOverlap, type Cidr } from './net.js';
import {
  DEFAULT_PROFILE,
  PROFILES,
  PROFILE_NAMES,
  isProfileName,
  releaseChannels,
  type ProfileName,
} from './profiles/index.js';
import { SCALE_OUT_TARGETS, labSpecSchema, type LabSpec } from './schema.js';
import { closest } from './suggest.js';
import { escapeControl, hasControl } from '../util/text.js';

// answers (lab.yaml and flags) -> a validated LabSpec, or one InputError listing every problem. Pure.

export type Answers = Record<string, unknown>;

const OPTIONAL_PATHS = [
  'adminPassword',
  'proxy.http',
  'proxy.https',
  'proxy.noProxy',
  'compute',
  'compute.virtType',
  'compute.image',
  'compute.image.source',
  'compute.image.checksum',
  'compute.image.name',
];
const ALL_PATHS = [...specKeyPaths(), ...specKeyPaths({ machines: defaultMachines() }), ...OPTIONAL_PATHS];

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
    // A secret field's value is never echoed, not even when it is wrong.
    const value = SECRET_FIELD.test(path) ? undefined : get(candidate, path);
    errors.push(`${path || '(top level)'}: ${describeIssue(issue, value)}`);
  }
  return errors;
}

/** Fields whose values are secrets (a proxy URL may carry a password). */
const SECRET_FIELD = /password|secret|token|^proxy\./i;

function describeIssue(issue: { code: string; message: string }, value: unknown): string {
  if (issue.code === 'invalid_value' && issue.message.includes('expected one of')) {
    return `${JSON.stringify(value)} is not valid; ${issue.message.replace(/^Invalid option: /, '')}`;
  }
  if (issue.code === 'invalid_type') {
    // YAML reads `series: 16.04` as a number and `name: yes` as a boolean: the fix is quotes
    const quote =
      /expected string/.test(issue.message) && (typeof value === 'number' || typeof value === 'boolean')
        ? `; YAML read it as a ${typeof value}: write it in quotes, "${String(value)}"`
        : '';
    return `${issue.message.replace(/^Invalid input: /, '')}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}${quote}`;
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
  if (
    facts.channels &&
    typeof candidate.series === 'string' &&
    typeof candidate.openstackRelease === 'string' &&
    facts.seriesChoices.includes(candidate.series) &&
    facts.releases.includes(candidate.openstackRelease) &&
    !releaseChannels(facts, candidate.series, candidate.openstackRelease)
  ) {
    const offered = Object.keys(facts.channels[candidate.series] ?? {}).join(', ');
    errors.push(
      `openstackRelease: ${candidate.openstackRelease} has no charms for ${candidate.series}; on ${candidate.series} use ${offered}`,
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
  const compute = isPlainObject(candidate.compute) ? candidate.compute : {};
  if (compute.virtType !== undefined && facts.hypervisorType === 'lxd') {
    errors.push(
      `compute.virtType: the ${profile} profile's nova-compute drives LXD (nova-lxd); remove compute.virtType, or use the modern profile`,
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

/** Juju's rule for cloud names (names.IsValidCloud). */
const CLOUD_NAME = /^[a-zA-Z0-9][a-zA-Z0-9.-]*$/;

function proxyUrlError(value: string): string | undefined {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  return protocol === 'http:' || protocol === 'https:'
    ? undefined
    : `${JSON.stringify(value)} is not an http:// or https:// URL; write it like http://proxy.example:3128`;
}

/** Free-text fields a person types: refused when they cannot work, before anything acts on them. */
function freeTextErrors(candidate: Answers): string[] {
  const errors: string[] = [];
  const text = (path: string) => {
    const value = get(candidate, path);
    if (typeof value !== 'string') return undefined;
    if (hasControl(value)) {
      errors.push(`${path}: ${escapeControl(JSON.stringify(value))} holds a control character; remove it`);
      return undefined;
    }
    return value;
  };
  const cloud = text('target.cloud');
  if (cloud !== undefined && cloud !== '' && !CLOUD_NAME.test(cloud))
    errors.push(
      `target.cloud: ${JSON.stringify(cloud)} is not a Juju cloud name; use letters, digits, dots and dashes, as \`juju clouds\` lists it`,
    );
  for (const path of ['proxy.http', 'proxy.https']) {
    const value = text(path);
    const problem = value === undefined || value === '' ? undefined : proxyUrlError(value);
    if (problem) errors.push(`${path}: ${problem}`);
  }
  const noProxy = text('proxy.noProxy');
  if (noProxy !== undefined && /\s/.test(noProxy.replaceAll(', ', ',').trim()))
    errors.push(
      `proxy.noProxy: ${JSON.stringify(noProxy)} has spaces inside an entry; list hosts and CIDRs separated by commas`,
    );
  text('sshPublicKey');
  return errors;
}

const MACHINE_ROLES = ['control', 'compute', 'storage'] as const;
/** Roles whose machine count is a unit count of the sizing section. */
const COUNTED_BY_SIZING = [
  ['compute', { unit: 'nova-compute', path: 'sizing.computeUnits' }],
  ['storage', { unit: 'ceph-osd', path: 'sizing.osdCount' }],
] as const;
const CONSTRAINTS_EXAMPLE = 'cores=8 mem=32G root-disk=200G tags=compute';

function isScaleOutTarget(kind: unknown): boolean {
  return (SCALE_OUT_TARGETS as readonly unknown[]).includes(kind);
}

/**
 * The machines section as the target needs it: a scale-out target gets the default layout under what the
 * answers give; an existing controller only when the answers give one; a target on this host never.
 */
function withMachines(candidate: Answers, errors: string[]): Answers {
  const kind = isPlainObject(candidate.target) ? candidate.target.kind : undefined;
  const given = candidate.machines;
  if (given === undefined && !isScaleOutTarget(kind)) return candidate;
  if (kind === 'localhost' || kind === 'nested-container') {
    errors.push(
      `machines: a ${kind} target runs every unit in an LXD container on this host, so there are no machines to place; remove machines, or set target.kind to maas, lxd-cluster or existing-controller`,
    );
    const { machines: _refused, ...rest } = candidate;
    return rest;
  }
  // a value that is not a mapping is left as given, for the schema to name
  if (given !== undefined && !isPlainObject(given)) return candidate;
  const machines = mergeAnswers(defaultMachines(), given);
  for (const [role, sizing] of COUNTED_BY_SIZING) {
    const section = machines[role];
    if (!isPlainObject(section) || section.count === undefined) continue;
    errors.push(
      `machines.${role}.count: there is one ${role} machine per ${sizing.unit} unit; set ${sizing.path} instead`,
    );
    const { count: _counted, ...rest } = section;
    machines[role] = rest;
  }
  return { ...candidate, machines };
}

function machineErrors(candidate: Answers, profile: ProfileName): string[] {
  const errors: string[] = [];
  const machines = isPlainObject(candidate.machines) ? candidate.machines : {};
  for (const role of MACHINE_ROLES) {
    const section = machines[role];
    const raw = isPlainObject(section) ? section.constraints : undefined;
    if (typeof raw !== 'string') continue;
    const problem = constraintsError(raw, PROFILES[profile].juju, false);
    if (!problem) continue;
    const unknown = /^unknown constraint "(.*)"$/.exec(problem)?.[1];
    const hint = unknown === undefined ? undefined : closest(unknown, CONSTRAINT_KEYS);
    errors.push(
      `machines.${role}.constraints: ${problem}${hint ? `; did you mean ${hint}?` : ''} in ${JSON.stringify(raw)}; write Juju constraints such as ${CONSTRAINTS_EXAMPLE}`,
    );
  }
  return errors;
}

/** Targets whose units are containers on this host. */
const LOCAL_TARGETS: readonly unknown[] = ['localhost', 'nested-container'];

/**
 * Ceph where it can work. A profile whose ceph makes no OSD on a directory has ceph on by default only
 * when the answers name block devices, or when the target's machines come from a cloud; on this host
 * the OSD devices all go to one ceph-osd unit (every container of the model sees them).
 */
function withStorageDefaults(candidate: Answers, given: Answers, profile: ProfileName): Answers {
  if (PROFILES[profile].directoryOsds) return candidate;
  const storage = isPlainObject(candidate.storage) ? candidate.storage : {};
  const devices = Array.isArray(storage.osdDevices) ? storage.osdDevices.length : 0;
  const kind = isPlainObject(candidate.target) ? candidate.target.kind : undefined;
  const local = LOCAL_TARGETS.includes(kind);
  const givenComponents = isPlainObject(given.components) ? given.components : {};
  const givenSizing = isPlainObject(given.sizing) ? given.sizing : {};
  const ceph = givenComponents.ceph ?? (devices > 0 || isScaleOutTarget(kind));
  const osdCount = givenSizing.osdCount ?? (local ? 1 : undefined);
  return mergeAnswers(candidate, {
    components: { ceph },
    ...(osdCount === undefined ? {} : { sizing: { osdCount } }),
  });
}

function storageErrors(candidate: Answers, profile: ProfileName): string[] {
  const storage = isPlainObject(candidate.storage) ? candidate.storage : {};
  const devices = Array.isArray(storage.osdDevices) ? storage.osdDevices : [];
  const facts = PROFILES[profile];
  if (facts.directoryOsds) {
    return devices.length > 0
      ? [
          `storage.osdDevices: the ${profile} profile keeps its OSDs in /srv/osd directories, as its bundle did; remove storage.osdDevices`,
        ]
      : [];
  }
  const components = isPlainObject(candidate.components) ? candidate.components : {};
  const kind = isPlainObject(candidate.target) ? candidate.target.kind : undefined;
  if (components.ceph !== true || !LOCAL_TARGETS.includes(kind)) return [];
  const errors: string[] = [];
  if (devices.length === 0) {
    errors.push(
      'components.ceph: ceph since Nautilus makes no OSD on a directory; name block devices in storage.osdDevices (e.g. [/dev/sdb]), or set components.ceph: false (glance then keeps images on its own disk)',
    );
  }
  const sizing = isPlainObject(candidate.sizing) ? candidate.sizing : {};
  if (sizing.osdCount !== 1) {
    errors.push(
      `sizing.osdCount: on this host every ceph-osd container sees the same devices, so one unit takes all of storage.osdDevices; set sizing.osdCount: 1 (not ${String(sizing.osdCount)})`,
    );
  }
  return errors;
}

function vaultErrors(candidate: Answers, profile: ProfileName): string[] {
  const vault = isPlainObject(candidate.vault) ? candidate.vault : {};
  const errors: string[] = [];
  if (!PROFILES[profile].hasVault && vault.unlock === 'manual') {
    errors.push(`vault.unlock: the ${profile} profile has no vault; remove the vault section`);
  }
  if (
    typeof vault.keyShares === 'number' &&
    typeof vault.keyThreshold === 'number' &&
    vault.keyThreshold > vault.keyShares
  ) {
    errors.push(
      `vault.keyThreshold: ${vault.keyThreshold} is more than vault.keyShares ${vault.keyShares}; vault could never be unsealed`,
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

/**
 * The problems of one field, given every answer so far: the same rules as buildSpec, so the wizard can
 * re-ask a field (a gateway outside its CIDR, a reversed floating range) the moment it is answered.
 * Each problem is returned without its `path: ` prefix.
 */
export function fieldErrors(answers: Answers, path: string): string[] {
  const given = mergeAnswers(answers);
  const profile = isProfileName(given.profile) ? given.profile : DEFAULT_PROFILE;
  const ignored: string[] = [];
  const candidate = withMachines(mergeAnswers(defaultSpec(profile), given, { profile }), ignored);
  const prefix = `${path}: `;
  return [
    ...structuralErrors(candidate),
    ...networkErrors(candidate),
    ...profileErrors(candidate, profile),
    ...machineErrors(candidate, profile),
    ...freeTextErrors(candidate),
  ]
    .filter((error) => error.startsWith(prefix) || error.startsWith(`${path}.`))
    .map((error) => (error.startsWith(prefix) ? error.slice(prefix.length) : error));
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
  let profile: ProfileName = DEFAULT_PROFILE;
  if (given.profile !== undefined) {
    if (isProfileName(given.profile)) profile = given.profile;
    else {
      const hint = typeof given.profile === 'string' ? closest(given.profile, PROFILE_NAMES) : undefined;
      errors.push(
        `profile: unknown profile ${JSON.stringify(given.profile)}; ${hint ? `did you mean ${hint}? ` : ''}choose one of ${PROFILE_NAMES.join(', ')}`,
      );
    }
  }
  const candidate = withStorageDefaults(
    withMachines(mergeAnswers(defaultSpec(profile), given, { profile }), errors),
    given,
    profile,
  );
  errors.push(
    ...structuralErrors(candidate),
    ...networkErrors(candidate),
    ...profileErrors(candidate, profile),
    ...machineErrors(candidate, profile),
    ...storageErrors(candidate, profile),
    ...vaultErrors(candidate, profile),
    ...freeTextErrors(candidate),
  );
  if (errors.length > 0) {
    throw new InputError(
      `${options.source}: ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'} in the lab answers; fix ${errors.length === 1 ? 'it' : 'them'} and run again:`,
      {
        details: [...new Set(errors)],
      },
    );
  }
  return labSpecSchema.parse(candidate);
}
