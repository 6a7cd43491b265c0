// The rules of Juju's `VerifyWithCharms` that need each charm's metadata (juju-spec.md §2.2, CHARM12
// bundledata.go verifyApplications/verifyRelations/verifyRelation/inferEndpoints/verifyOptions/
// verifyEndpointBindings), in Juju's words. Pure: the charms come resolved (./charms/resolve.ts).
import { q } from '../juju/syntax.js';
import type { AppCharm } from './charms/resolve.js';
import type { CharmEndpoint, CharmMeta, OptionType } from './charms/metadata.js';
import { isMap, type PlainMap } from './merge.js';
import { numUnits, placementList, yamlBool } from './shape.js';

/** Records a finding: an error, or a warning when a charm involved was checked against another track. */
export type Report = (message: string, ...involved: (AppCharm | undefined)[]) => void;

export interface Endpoint {
  application: string;
  relation?: string;
}

/** Each application's charm, undefined for a name that is not an application (a SAAS). */
export type CharmLookup = (application: string) => AppCharm | undefined;

interface EndpointInfo extends CharmEndpoint {
  application: string;
  name: string;
}

const JUJU_INFO: CharmEndpoint = { role: 'provider', interface: 'juju-info' };

export function endpointText(endpoint: Endpoint): string {
  return endpoint.relation ? `${endpoint.application}:${endpoint.relation}` : endpoint.application;
}

/** Juju's `endpoint.less`: by application, then relation. */
export function endpointLess(a: Endpoint, b: Endpoint): boolean {
  return a.application === b.application
    ? (a.relation ?? '') < (b.relation ?? '')
    : a.application < b.application;
}

/** In application checks: a subordinate has no units and no placement; strict mode knows every charm. */
export function checkApplicationCharm(name: string, app: PlainMap, charm: AppCharm, report: Report): void {
  if (charm.kind === 'missing') {
    report(`application ${q(name)} refers to non-existent charm ${q(app.charm)}`);
    return;
  }
  if (charm.kind !== 'checked' || !charm.meta.subordinate) return;
  if (placementList(app).length > 0)
    report(`application ${q(name)} is subordinate but specifies unit placement`, charm);
  if (numUnits(app) > 0) report(`application ${q(name)} is subordinate but has non-zero num_units`, charm);
}

function possibleEndpoints(spec: Endpoint, meta: CharmMeta): EndpointInfo[] {
  const candidates = Object.entries(meta.endpoints)
    .filter(([, endpoint]) => endpoint.role !== 'peer')
    .map(([name, endpoint]) => ({ ...endpoint, application: spec.application, name }));
  // every application implicitly provides juju-info
  candidates.push({ ...JUJU_INFO, application: spec.application, name: 'juju-info' });
  return candidates.filter((e) => spec.relation === undefined || e.name === spec.relation);
}

const COUNTERPART = { provider: 'requirer', requirer: 'provider', peer: 'peer' } as const;

function canRelate(a: EndpointInfo, b: EndpointInfo): boolean {
  return (
    a.application !== b.application &&
    a.interface === b.interface &&
    a.role !== 'peer' &&
    COUNTERPART[a.role] === b.role
  );
}

function isImplicit(e: EndpointInfo): boolean {
  return e.name === 'juju-info' && e.interface === 'juju-info' && e.role === 'provider';
}

function relationKey(pair: EndpointInfo[]): string {
  return pair
    .map((e) => `${e.application}:${e.name}`)
    .sort()
    .join(' ');
}

/** The charm metadata behind an endpoint for inference, Juju's reason it has none, or null (unknown here). */
function metaFor(
  application: string,
  lookup: CharmLookup,
  strict: boolean,
  charmOf: (application: string) => string,
): CharmMeta | string | null {
  const charm = lookup(application);
  if (charm?.kind === 'checked') return charm.meta;
  if (!strict || charm?.kind === 'unchecked') return null;
  return charm
    ? `charm ${q(charmOf(application))} from application ${q(application)} not found`
    : `application ${q(application)} not found`;
}

/**
 * Juju's `inferEndpoints` for a relation that leaves out an endpoint name: the pair, or Juju's error, or
 * null when a side's charm is not known here (never in strict mode, which knows every charm).
 */
export function inferEndpoints(
  ep0: Endpoint,
  ep1: Endpoint,
  lookup: CharmLookup,
  strict: boolean,
  charmOf: (application: string) => string,
): [Endpoint, Endpoint] | string | null {
  const metas = [ep0, ep1].map((ep) => metaFor(ep.application, lookup, strict, charmOf));
  // Juju looks the first endpoint up first and stops at its error
  const problem = metas.find((m) => typeof m === 'string');
  if (typeof problem === 'string') return problem;
  if (metas.some((m) => m === null)) return null;
  const eps0 = possibleEndpoints(ep0, metas[0] as CharmMeta);
  const eps1 = possibleEndpoints(ep1, metas[1] as CharmMeta);
  const candidates = eps0.flatMap((a) => eps1.filter((b) => canRelate(a, b)).map((b) => [a, b]));
  const pick = (pair: EndpointInfo[]): [Endpoint, Endpoint] =>
    pair.map((e) => ({ application: e.application, relation: e.name })) as [Endpoint, Endpoint];
  if (candidates.length === 0) return 'no relations found';
  if (candidates.length === 1) return pick(candidates[0]!);
  const explicit = candidates.filter((pair) => !pair.some(isImplicit));
  if (explicit.length === 1) return pick(explicit[0]!);
  const keys = candidates.map((pair) => q(relationKey(pair))).sort();
  return `ambiguous relation: ${endpointText(ep0)} ${endpointText(ep1)} could refer to ${keys.join('; ')}`;
}

function declared(meta: CharmMeta, relation: string): { provider?: CharmEndpoint; requirer?: CharmEndpoint } {
  const endpoint = meta.endpoints[relation];
  const provider =
    endpoint?.role === 'provider' ? endpoint : relation === 'juju-info' ? JUJU_INFO : undefined;
  return { provider, requirer: endpoint?.role === 'requirer' ? endpoint : undefined };
}

/** Juju's `verifyRelation` for a fully named pair (in Juju's sorted order): roles and interfaces. */
export function checkRelation(
  ep0: Required<Endpoint>,
  ep1: Required<Endpoint>,
  lookup: CharmLookup,
  charmOf: (application: string) => string,
  report: Report,
): void {
  const charm0 = lookup(ep0.application);
  const charm1 = lookup(ep1.application);
  if (ep0.application === ep1.application) return;
  if (charm0?.kind !== 'checked' || charm1?.kind !== 'checked') return;
  const side0 = declared(charm0.meta, ep0.relation);
  const side1 = declared(charm1.meta, ep1.relation);
  for (const [side, ep, charm] of [
    [side0, ep0, charm0],
    [side1, ep1, charm1],
  ] as const) {
    if (!side.provider && !side.requirer) {
      report(
        `charm ${q(charmOf(ep.application))} used by application ${q(ep.application)} does not define relation ${q(ep.relation)}`,
        charm,
      );
    }
  }
  const text0 = q(endpointText(ep0));
  const text1 = q(endpointText(ep1));
  let pair: [CharmEndpoint, CharmEndpoint, string, string];
  if (side0.provider && side1.requirer) pair = [side0.provider, side1.requirer, text0, text1];
  else if (side0.requirer && side1.provider) pair = [side1.provider, side0.requirer, text1, text0];
  else if (side0.provider && side1.provider)
    return report(`relation ${text0} to ${text1} relates provider to provider`, charm0, charm1);
  else if (side0.requirer && side1.requirer)
    return report(`relation ${text0} to ${text1} relates requirer to requirer`, charm0, charm1);
  else return;
  const [provider, requirer, providerText, requirerText] = pair;
  if (provider.interface !== requirer.interface) {
    report(
      `mismatched interface between ${providerText} and ${requirerText} (${q(provider.interface)} vs ${q(requirer.interface)})`,
      charm0,
      charm1,
    );
  }
}

const GO_BOOLS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * Whether Juju takes the value for an option of the type. Strings are parsed as `juju deploy` does for a
 * bundle's options (ParseSettingsYAML); a YAML float that is a whole number reaches us as an integer, so
 * float options take any number.
 */
function fits(value: unknown, type: OptionType): boolean {
  switch (type) {
    case 'string':
    case 'secret':
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
      return (
        typeof value === 'boolean' ||
        (typeof value === 'string' && (GO_BOOLS.includes(value) || yamlBool(value) !== undefined))
      );
  }
}

/** Go's %#v of a bundle value: strings quoted, numbers and booleans bare. */
function goValue(value: unknown): string {
  return typeof value === 'string' ? q(value) : String(value);
}

/** Juju's `verifyOptions` for one application: every option exists and has the option's type. */
export function checkOptions(name: string, app: PlainMap, charm: AppCharm, report: Report): void {
  if (charm.kind !== 'checked' || !isMap(app.options)) return;
  for (const [option, value] of Object.entries(app.options)) {
    const spec = charm.meta.options[option];
    if (!spec) {
      report(
        `cannot validate application ${q(name)}: configuration option ${q(option)} not found in charm ${q(app.charm)}`,
        charm,
      );
      continue;
    }
    // include-file:// and include-base64:// are resolved (to strings) before Juju checks the value
    if (value === null || (typeof value === 'string' && value.startsWith('include-'))) continue;
    if (!fits(value, spec.type)) {
      report(
        `cannot validate application ${q(name)}: option ${q(option)} expected ${spec.type}, got ${goValue(value)}`,
        charm,
      );
    }
  }
}

/**
 * Juju's `verifyEndpointBindings`: each bound endpoint is one the charm declares (provides, requires,
 * peers, extra-bindings). The `""` key is the application's default space, not an endpoint.
 */
export function checkBindings(name: string, app: PlainMap, charm: AppCharm, report: Report): void {
  if (charm.kind !== 'checked' || !isMap(app.bindings)) return;
  for (const [endpoint, space] of Object.entries(app.bindings)) {
    if (endpoint === '' || endpoint in charm.meta.endpoints || charm.meta.extraBindings.includes(endpoint))
      continue;
    report(
      `application ${q(name)} wants to bind endpoint ${q(endpoint)} to space ${q(space ?? '')}, but the endpoint is not defined by the charm`,
      charm,
    );
  }
}
