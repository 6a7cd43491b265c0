// Juju's bundle verification (juju-spec.md §2.1-2.2: `ComposeAndVerifyBundle`, `BundleData.Verify`) for
// Juju 2.9 (charm v8) and 3.x (charm v12), in Juju's own words, every error at once; plus charm option
// names and types from the charms' config.yaml files. Pure: no I/O unless the caller passes pathExists.
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
  parsePlacement,
  q,
  relationNamePattern,
  seriesMatchesBase,
  seriesPattern,
  storageError,
  type JujuFlavour,
} from '../juju/syntax.js';
import { checkApplicationCharm, checkBindings, checkOptions, type Report } from './charm-checks.js';
import {
  localCharmPath,
  resolveApplicationCharm,
  type AppCharm,
  type CharmSource,
} from './charms/resolve.js';
import { isMap, mergeBundle, type PlainMap } from './merge.js';
import {
  documentError,
  includeErrors,
  normalizeError,
  overlayFieldErrors,
  withApplicationsKey,
} from './read-stage.js';
import { verifyRelations, type RelationContext } from './relations.js';
import { bundleApplications, numUnits, placementList, shapeErrors, yamlBool } from './shape.js';
import { counted } from '../util/text.js';

export type { CharmSource } from './charms/resolve.js';

export interface ValidationResult {
  valid: boolean;
  errors: string[];
  /** Findings against a charm track other than the application's own (its track is not catalogued). */
  warnings: string[];
  /** Charms (as the bundle writes them) that no metadata was found for, so they were not checked. */
  unchecked: string[];
}

export interface ValidateOptions {
  juju: JujuFlavour;
  /** Folder of the bundle file, for local charm paths (`charm: ./foo`). */
  bundleDir?: string;
  /** Checks a local charm path; without it local paths are not checked (keeps validation pure). */
  pathExists?: (path: string) => boolean;
  /** Where charm metadata comes from (default: the catalogue); false checks no charms (Juju's `Verify`). */
  charms?: CharmSource | false;
}

interface Context extends ValidateOptions, RelationContext {
  inBase: boolean;
  warnings: string[];
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
      const path = localCharmPath(charm, ctx.bundleDir ?? '.');
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
          `placement ${q(directive)} specifies a unit greater than the ${counted(numUnits(target), 'unit')} started by the target application`,
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
    const problem = check(str(value) ?? '');
    // Juju names the storage (device), not its value
    if (problem) ctx.errors.push(`invalid ${kind} ${q(key)} in application ${q(name)}: ${problem}`);
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
  const charm = ctx.appCharms?.get(name);
  if (charm) checkApplicationCharm(name, app, charm, ctx.report);
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
  if (doc.bundle === 'kubernetes') {
    verifyKubernetesPlacement(name, app, ctx);
  } else {
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
  for (const check of [checkOptions, checkBindings]) {
    for (const [name, app] of Object.entries(applications)) {
      const charm = ctx.appCharms?.get(name);
      if (isMap(app) && charm) check(name, app, charm, ctx.report);
    }
  }
  for (const [id, count] of machineRefs) {
    if (count === 0) ctx.errors.push(`machine ${q(id)} is not referred to by a placement directive`);
  }
}

function context(options: ValidateOptions, inBase: boolean, charms?: Map<string, AppCharm>): Context {
  const ctx: Context = { ...options, inBase, errors: [], warnings: [], strict: false, report: () => {} };
  ctx.appCharms = charms;
  ctx.strict = options.charms ? options.charms.folder !== undefined : false;
  const report: Report = (message, ...involved) => {
    const fallbacks = involved.flatMap((c) => (c?.kind === 'checked' && c.fallback ? [c.fallback] : []));
    if (fallbacks.length === 0) ctx.errors.push(message);
    else ctx.warnings.push(`${message} (${[...new Set(fallbacks)].join('; ')})`);
  };
  ctx.report = report;
  return ctx;
}

function failed(errors: string[]): ValidationResult {
  return { valid: false, errors, warnings: [], unchecked: [] };
}

/**
 * Verify a bundle as `juju deploy` does: decode every document, verify the base alone (and stop there if
 * it fails), merge the overlays, resolve includes, then verify the merged bundle with each charm's
 * metadata (`VerifyWithCharms`). Errors use Juju's wording; the order follows Juju's phases.
 */
export function validateBundle(
  input: { base: unknown; overlays?: unknown[] },
  options: ValidateOptions,
): ValidationResult {
  const documents = [input.base, ...(input.overlays ?? [])];
  const structural = documents.map((doc, i) => documentError(doc, i)).filter((e): e is string => e !== null);
  if (structural.length > 0) return failed(structural);
  const shape = documents.flatMap((doc, i) => (isMap(doc) ? shapeErrors(doc, i) : []));
  if (shape.length > 0) return failed(shape);
  const decode = documents.map((doc, i) => (isMap(doc) ? normalizeError(doc, i) : null)).find((e) => e);
  if (decode) return failed([decode]);

  const base = withApplicationsKey(input.base as PlainMap, options.juju);
  const baseCtx = context(options, true);
  verifyDocument(base, baseCtx);
  if (baseCtx.errors.length > 0) return failed(baseCtx.errors);

  const overlayFields = overlayFieldErrors(base, options.juju);
  if (overlayFields.length > 0) return failed(overlayFields);
  const { merged, errors: mergeErrors } = mergeBundle(base, (input.overlays ?? []).filter(isMap));
  if (mergeErrors.length > 0) return failed(mergeErrors);
  const bundleDir = options.bundleDir ?? '.';
  const includes = includeErrors(merged, options.juju, bundleDir, options.pathExists);
  if (includes.length > 0) return failed(includes);

  const charms = new Map<string, AppCharm>();
  if (options.charms !== false) {
    const source = options.charms ?? {};
    for (const [name, app] of Object.entries(bundleApplications(merged, options.juju).applications)) {
      if (isMap(app)) charms.set(name, resolveApplicationCharm(app, merged, options.juju, source, bundleDir));
    }
  }
  const ctx = context(options, false, options.charms === false ? undefined : charms);
  verifyDocument(merged, ctx);
  const unchecked = [...charms.entries()]
    .filter(([, charm]) => charm.kind === 'unchecked' && charm.note)
    .map(([name]) => String((bundleApplications(merged, options.juju).applications[name] as PlainMap).charm));
  return {
    valid: ctx.errors.length === 0,
    errors: ctx.errors,
    warnings: ctx.warnings,
    unchecked: [...new Set(unchecked)].sort(),
  };
}
