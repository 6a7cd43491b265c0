// Juju's bundle verification (juju-spec.md §2.1-2.2: `ComposeAndVerifyBundle`, `BundleData.Verify`) for
// Juju 2.9 (charm v8) and 3.x (charm v12), in Juju's own words, every error at once; plus charm option
// names and types from the charms' config.yaml files. Pure: no I/O unless the caller passes pathExists.
import { posix } from 'node:path';
import { checkCharmOptions } from './options.js';
import {
  applicationNamePattern,
  constraintsError,
  deviceError,
  formatCharmUrl,
  isValidCidr,
  isValidOfferUrl,
  machineIdPattern,
  parseBase,
  parseCharmUrl,
  parseEndpoint,
  parsePlacement,
  q,
  qList,
  relationNamePattern,
  seriesMatchesBase,
  seriesPattern,
  storageError,
  type JujuFlavour,
} from '../juju/syntax.js';
import { isMap, mergeBundle, OVERLAY_ONLY_FIELDS, type PlainMap } from './merge.js';
import { bundleApplications, numUnits, placementList, shapeErrors, yamlBool } from './shape.js';

export interface ValidationResult {
  valid: boolean;
  errors: string[];
}

export interface ValidateOptions {
  juju: JujuFlavour;
  /** Folder of the bundle file, for local charm paths (`charm: ./foo`). */
  bundleDir?: string;
  /** Checks a local charm path; without it local paths are not checked (keeps validation pure). */
  pathExists?: (path: string) => boolean;
}

interface Context extends ValidateOptions {
  inBase: boolean;
  errors: string[];
}

function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function verifyBundleLevel(doc: PlainMap, ctx: Context): void {
  const type = str(doc.bundle);
  if (type !== undefined && type !== '' && type !== 'kubernetes')
    ctx.errors.push(`bundle has an invalid type ${q(type)}`);
  if (type === 'kubernetes' && isMap(doc.machines) && Object.keys(doc.machines).length > 0) {
    ctx.errors.push('bundle machines not valid for Kubernetes bundles');
  }
  const series = str(doc.series);
  if (series !== undefined && series !== '' && !seriesPattern.test(series)) {
    ctx.errors.push(`bundle declares an invalid series ${q(series)}`);
  }
  if (ctx.juju === '3') {
    const base = str(doc['default-base']);
    if (base !== undefined && base !== '') {
      const parsed = parseBase(base);
      if (!parsed) ctx.errors.push(`bundle declares an invalid base ${q(base)}`);
      else if (series && !seriesMatchesBase(series, parsed)) {
        ctx.errors.push(`bundle series ${q(series)} and base ${q(base)} must match if both supplied`);
      }
    }
  }
}

function verifySaas(doc: PlainMap, applications: PlainMap, ctx: Context): void {
  if (!isMap(doc.saas)) return;
  for (const [name, body] of Object.entries(doc.saas)) {
    if (name in applications)
      ctx.errors.push(`application ${q(name)} already exists with SAAS ${q(name)} name`);
    if (!applicationNamePattern.test(name)) ctx.errors.push(`invalid SAAS name ${q(name)} found`);
    const url = isMap(body) ? str(body.url) : undefined;
    if (url !== undefined && !isValidOfferUrl(url))
      ctx.errors.push(`invalid offer URL ${q(url)} for SAAS ${name}`);
  }
}

function verifyMachines(doc: PlainMap, ctx: Context): void {
  if (!isMap(doc.machines)) return;
  for (const [id, body] of Object.entries(doc.machines)) {
    if (!machineIdPattern.test(id)) ctx.errors.push(`invalid machine id ${q(id)} found in machines`);
    if (!isMap(body)) continue;
    const constraints = str(body.constraints) ?? '';
    const problem = constraintsError(constraints, ctx.juju, ctx.inBase);
    if (problem) ctx.errors.push(`invalid constraints ${q(constraints)} in machine ${q(id)}: ${problem}`);
    const series = str(body.series);
    if (series !== undefined && series !== '' && !seriesPattern.test(series)) {
      ctx.errors.push(
        ctx.juju === '3'
          ? `invalid series ${q(series)} for machine ${q(id)}`
          : `invalid series ${series} for machine ${q(id)}`,
      );
    }
    const base = ctx.juju === '3' ? str(body.base) : undefined;
    if (base !== undefined && base !== '') {
      const parsed = parseBase(base);
      if (!parsed) ctx.errors.push(`invalid base ${q(base)} for machine ${q(id)}`);
      else if (series && !seriesMatchesBase(series, parsed)) {
        ctx.errors.push(
          `machine ${q(id)} series ${q(series)} and base ${q(base)} must match if both supplied`,
        );
      }
    }
  }
}

function verifyCharm(name: string, app: PlainMap, ctx: Context): void {
  const charm = str(app.charm) ?? '';
  if (charm === '') {
    ctx.errors.push('empty charm path');
    return;
  }
  if (charm.startsWith('.') || charm.startsWith('/')) {
    if (ctx.pathExists) {
      // relative to the bundle's folder; an absolute path stands as it is (both cleaned, as Go does)
      const path = posix.normalize(charm.startsWith('/') ? charm : posix.join(ctx.bundleDir ?? '.', charm));
      if (!ctx.pathExists(path))
        ctx.errors.push(`charm path in application ${q(name)} does not exist: ${path}`);
    }
    return;
  }
  const url = parseCharmUrl(charm, ctx.juju);
  if (typeof url === 'string') {
    ctx.errors.push(`invalid charm URL in application ${q(name)}: ${url}`);
    return;
  }
  if (url.schema === 'ch' && url.revision !== undefined) {
    ctx.errors.push(`cannot specify revision in ${q(formatCharmUrl(url))}, please use revision`);
  }
  const revision = app.revision;
  if (typeof revision === 'number') {
    if (url.schema === 'ch' && !str(app.channel)) {
      ctx.errors.push(
        `application ${q(name)} with a revision requires a channel for future upgrades, please use channel`,
      );
    }
    if (revision < 0) ctx.errors.push(`the revision for application ${q(name)} must be zero or greater`);
    if (
      ctx.juju === '2.9' &&
      url.schema === 'cs' &&
      url.revision !== undefined &&
      url.revision !== revision
    ) {
      ctx.errors.push(`application ${q(name)} has 2 different revisions specified, please choose 1`);
    }
  }
  const series = str(app.series);
  if (url.series && series && url.series !== series) {
    ctx.errors.push(
      `the charm URL for application ${q(name)} has a series which does not match, please remove the series from the URL`,
    );
  }
}

function verifyPlacement(
  name: string,
  app: PlainMap,
  applications: PlainMap,
  machineRefs: Map<string, number>,
  ctx: Context,
): void {
  const to = placementList(app);
  const units = numUnits(app);
  if (units >= 0 && to.length > units) {
    ctx.errors.push(`too many units specified in unit placement for application ${q(name)}`);
  }
  for (const directive of to) {
    const placement = parsePlacement(directive);
    if (!placement) {
      ctx.errors.push(`invalid placement syntax ${q(directive)}`);
      continue;
    }
    if (placement.kind === 'application') {
      const target = applications[placement.application];
      if (!isMap(target)) {
        ctx.errors.push(`placement ${q(directive)} refers to an application not defined in this bundle`);
      } else if (placement.unit !== undefined && placement.unit >= numUnits(target)) {
        ctx.errors.push(
          `placement ${q(directive)} specifies a unit greater than the ${numUnits(target)} unit(s) started by the target application`,
        );
      }
    } else if (placement.kind === 'machine') {
      if (!machineRefs.has(placement.machine)) {
        ctx.errors.push(`placement ${q(directive)} refers to a machine not defined in this bundle`);
      } else {
        machineRefs.set(placement.machine, machineRefs.get(placement.machine)! + 1);
      }
    }
  }
}

function verifyKubernetesPlacement(name: string, app: PlainMap, ctx: Context): void {
  const to = placementList(app);
  if (to.length > 1) ctx.errors.push(`too many placement directives for application ${q(name)}`);
  for (const directive of to) {
    if (!directive.split(',').every((pair) => /^[^=,]+=[^=,]*$/.test(pair))) {
      ctx.errors.push(`expected "key=value", got ${q(directive)} for application ${q(name)}`);
    }
  }
}

function verifyMapEntries(
  name: string,
  entries: unknown,
  kind: 'storage' | 'device',
  check: (raw: string) => string | null,
  ctx: Context,
): void {
  if (!isMap(entries)) return;
  for (const [key, value] of Object.entries(entries)) {
    if (!applicationNamePattern.test(key))
      ctx.errors.push(`invalid ${kind} name ${q(key)} in application ${q(name)}`);
    const raw = str(value) ?? '';
    const problem = check(raw);
    if (problem) ctx.errors.push(`invalid ${kind} ${q(raw)} in application ${q(name)}: ${problem}`);
  }
}

function verifyApplication(
  name: string,
  app: PlainMap,
  doc: PlainMap,
  applications: PlainMap,
  machineRefs: Map<string, number>,
  ctx: Context,
): void {
  if (isMap(doc.saas) && name in doc.saas)
    ctx.errors.push(`SAAS ${q(name)} already exists with application ${q(name)} name`);
  verifyCharm(name, app, ctx);
  const series = str(app.series);
  if (series !== undefined && series !== '' && !seriesPattern.test(series)) {
    ctx.errors.push(`application ${q(name)} declares an invalid series ${q(series)}`);
  }
  const base = ctx.juju === '3' ? str(app.base) : undefined;
  if (base !== undefined && base !== '') {
    const parsed = parseBase(base);
    if (!parsed) ctx.errors.push(`application ${q(name)} declares an invalid base ${q(base)}`);
    else if (series && !seriesMatchesBase(series, parsed)) {
      ctx.errors.push(
        `application ${q(name)} series ${q(series)} and base ${q(base)} must match if both supplied`,
      );
    }
  }
  const constraints = str(app.constraints) ?? '';
  const problem = constraintsError(constraints, ctx.juju, ctx.inBase);
  if (problem) ctx.errors.push(`invalid constraints ${q(constraints)} in application ${q(name)}: ${problem}`);
  verifyMapEntries(name, app.storage, 'storage', storageError, ctx);
  verifyMapEntries(name, app.devices, 'device', deviceError, ctx);
  if (isMap(app.offers)) {
    for (const [offer, body] of Object.entries(app.offers)) {
      if (!applicationNamePattern.test(offer))
        ctx.errors.push(`invalid offer name ${q(offer)} in application ${q(name)}`);
      const endpoints = isMap(body) && Array.isArray(body.endpoints) ? body.endpoints : [];
      for (const endpoint of endpoints) {
        if (!relationNamePattern.test(String(endpoint))) {
          ctx.errors.push(
            `invalid endpoint name ${q(endpoint)} for offer ${q(offer)} in application ${q(name)}`,
          );
        }
      }
    }
  }
  if (isMap(app.resources)) {
    for (const [resource, value] of Object.entries(app.resources)) {
      if (resource === '') ctx.errors.push(`missing resource name on application ${q(name)}`);
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) {
        ctx.errors.push(`resource revision ${q(name)} is not int or string`);
      }
    }
  }
  const units = numUnits(app);
  if (units < 0) ctx.errors.push(`negative number of units specified on application ${q(name)}`);
  if (typeof app.scale === 'number' && app.scale > 0 && units > 0) {
    ctx.errors.push(`cannot specify both scale and num_units for application ${q(name)}`);
  }
  if (doc.bundle === 'kubernetes') {
    verifyKubernetesPlacement(name, app, ctx);
  } else {
    const placement = str(app.placement);
    if (placement !== undefined && placement !== '') {
      ctx.errors.push(`placement (${placement}) not valid for non-Kubernetes application ${q(name)}`);
      if (placementList(app).length > 0)
        ctx.errors.push(`cannot specify both placement and to for application ${q(name)}`);
    }
    verifyPlacement(name, app, applications, machineRefs, ctx);
  }
  if (isMap(app['exposed-endpoints'])) {
    if (yamlBool(app.expose) === true) {
      ctx.errors.push(
        `exposed-endpoints cannot be specified together with "exposed:true" in application ${q(name)} as this poses a security risk when deploying bundles to older controllers`,
      );
    }
    for (const [endpoint, body] of Object.entries(app['exposed-endpoints'])) {
      const cidrs = isMap(body) && Array.isArray(body['expose-to-cidrs']) ? body['expose-to-cidrs'] : [];
      for (const cidr of cidrs) {
        if (!isValidCidr(String(cidr))) {
          ctx.errors.push(
            `invalid CIDR ${q(cidr)} for expose to CIDRs field for endpoint ${q(endpoint)} in application ${q(name)}`,
          );
        }
      }
    }
  }
}

function verifyRelations(doc: PlainMap, applications: PlainMap, ctx: Context): void {
  if (!Array.isArray(doc.relations)) return;
  const saas = isMap(doc.saas) ? doc.saas : {};
  const seen = new Set<string>();
  for (const relation of doc.relations) {
    const pair = Array.isArray(relation) ? relation.map((e) => String(e)) : [String(relation)];
    if (pair.length !== 2) {
      ctx.errors.push(`relation ${qList(pair)} has ${pair.length} endpoint(s), not 2`);
      continue;
    }
    let parseError = false;
    const endpoints = pair.map((text) => {
      const endpoint = parseEndpoint(text);
      if (!endpoint) {
        ctx.errors.push(`invalid relation syntax ${q(text)}`);
        parseError = true;
        return undefined;
      }
      const inApps = isMap(applications[endpoint.application]) || endpoint.application in applications;
      const inSaas = endpoint.application in saas;
      if (!inApps && !inSaas) {
        ctx.errors.push(
          `relation ${qList(pair)} refers to application ${q(endpoint.application)} not defined in this bundle`,
        );
      }
      if (inApps && inSaas) {
        ctx.errors.push(
          `ambiguous relation ${q(endpoint.application)} refers to a application and a SAAS in this bundle`,
        );
      }
      return endpoint;
    });
    if (parseError) continue;
    const [a, b] = endpoints as [
      { application: string; relation?: string },
      { application: string; relation?: string },
    ];
    if (a.application === b.application)
      ctx.errors.push(`relation ${qList(pair)} relates an application to itself`);
    const key = [pair[0], pair[1]].sort().join('\u0000');
    if (seen.has(key)) ctx.errors.push(`relation ${qList(pair)} is defined more than once`);
    seen.add(key);
  }
}

/** `BundleData.Verify` on one (merged or base) document, in Juju's phase order. */
function verifyDocument(doc: PlainMap, ctx: Context): void {
  const { applications, errors } = bundleApplications(doc, ctx.juju);
  ctx.errors.push(...errors);
  verifyBundleLevel(doc, ctx);
  verifySaas(doc, applications, ctx);
  verifyMachines(doc, ctx);
  const machineRefs = new Map<string, number>(
    Object.keys(isMap(doc.machines) ? doc.machines : {}).map((id) => [id, 0]),
  );
  if (Object.keys(applications).length === 0) {
    ctx.errors.push('at least one application must be specified');
  } else {
    for (const [name, app] of Object.entries(applications)) {
      if (!isMap(app)) ctx.errors.push(`bundle application for key ${q(name)} is undefined`);
      else verifyApplication(name, app, doc, applications, machineRefs, ctx);
    }
  }
  verifyRelations(doc, applications, ctx);
  if (!ctx.inBase) {
    for (const [name, app] of Object.entries(applications)) {
      if (isMap(app)) ctx.errors.push(...checkCharmOptions(name, app, ctx.juju));
    }
  }
  for (const [id, count] of machineRefs) {
    if (count === 0) ctx.errors.push(`machine ${q(id)} is not referred to by a placement directive`);
  }
}

const INCLUDE_PREFIXES = ['include-file://', 'include-base64://'];

/**
 * Include directives in options and annotations, resolved after merging (juju-spec.md §1.1): a missing
 * file is fatal. Checked only when the caller lets us look at the file system.
 */
function includeErrors(doc: PlainMap, options: ValidateOptions): string[] {
  const exists = options.pathExists;
  if (!exists) return [];
  const errors: string[] = [];
  const check = (values: unknown, what: string, owner: string) => {
    if (!isMap(values)) return;
    for (const [key, value] of Object.entries(values)) {
      const prefix =
        typeof value === 'string' ? INCLUDE_PREFIXES.find((p) => value.startsWith(p)) : undefined;
      if (!prefix) continue;
      const path = (value as string).slice(prefix.length);
      const absolute = posix.normalize(
        path.startsWith('/') ? path : posix.join(options.bundleDir ?? '.', path),
      );
      if (!exists(absolute)) {
        errors.push(
          `processing ${what} ${q(key)} for ${owner}: resolving include ${q(path)}: include file ${q(absolute)} not found`,
        );
      }
    }
  };
  for (const [name, app] of Object.entries(bundleApplications(doc, options.juju).applications)) {
    if (!isMap(app)) continue;
    check(app.options, 'option', `application ${q(name)}`);
    check(app.annotations, 'annotation', `application ${q(name)}`);
  }
  for (const [id, machine] of Object.entries(isMap(doc.machines) ? doc.machines : {})) {
    if (isMap(machine)) check(machine.annotations, 'annotation', `machine ${q(id)}`);
  }
  return errors;
}

/** What reading the base document refuses before any verification (`ReadAndMergeBundleData`). */
function baseReadErrors(doc: PlainMap, juju: JujuFlavour): string[] {
  const errors: string[] = [];
  const { applications } = bundleApplications(doc, juju);
  for (const [name, app] of Object.entries(applications)) {
    if (app === null || app === undefined) {
      errors.push(`base application ${q(name)} has no body`);
      continue;
    }
    if (!isMap(app)) continue;
    for (const field of OVERLAY_ONLY_FIELDS) {
      if (field in app) errors.push(`applications.${name}.${field} can only appear in an overlay section`);
    }
  }
  return errors;
}

/** Juju 2.9 reads legacy `services:` as `applications:`; overlays are merged onto that. */
function withApplicationsKey(doc: PlainMap, juju: JujuFlavour): PlainMap {
  if (juju !== '2.9' || !isMap(doc.services) || 'applications' in doc) return doc;
  const { services, ...rest } = doc;
  return { ...rest, applications: services };
}

function documentError(doc: unknown, index: number): string | null {
  if (isMap(doc)) return null;
  if (doc === null || doc === undefined)
    return index === 0 ? 'malformed bundle: bundle is empty not valid' : null;
  return `unmarshal document ${index}: yaml: unmarshal errors: cannot unmarshal ${Array.isArray(doc) ? '!!seq' : '!!str'} into charm.BundleData`;
}

/**
 * Verify a bundle as `juju deploy` does: the base document alone first (stop there if it fails), then
 * base + overlays merged. Errors use Juju's wording; the order follows Juju's phases.
 */
export function validateBundle(
  input: { base: unknown; overlays?: unknown[] },
  options: ValidateOptions,
): ValidationResult {
  const documents = [input.base, ...(input.overlays ?? [])];
  const structural = documents.map((doc, i) => documentError(doc, i)).filter((e): e is string => e !== null);
  if (structural.length > 0) return { valid: false, errors: structural };
  const base = withApplicationsKey(input.base as PlainMap, options.juju);
  const overlays = (input.overlays ?? []).filter(isMap);

  const shape = documents.flatMap((doc, i) => (isMap(doc) ? shapeErrors(doc, i) : []));
  if (shape.length > 0) return { valid: false, errors: shape };

  const baseCtx: Context = { ...options, inBase: true, errors: baseReadErrors(base, options.juju) };
  verifyDocument(base, baseCtx);
  if (baseCtx.errors.length > 0) return { valid: false, errors: baseCtx.errors };

  const { merged, errors: mergeErrors } = mergeBundle(base, overlays);
  if (mergeErrors.length > 0) return { valid: false, errors: mergeErrors };
  const includes = includeErrors(merged, options);
  if (includes.length > 0) return { valid: false, errors: includes };
  const ctx: Context = { ...options, inBase: false, errors: [] };
  verifyDocument(merged, ctx);
  return { valid: ctx.errors.length === 0, errors: ctx.errors };
}
