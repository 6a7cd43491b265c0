// What Juju refuses while reading a bundle, before or between its verifications (juju-spec.md §1.1,
// §2.1): documents that are not maps, `normalizeData`'s errors at decode time, overlay-only fields in the
// base and include directives after merging. Each stage stops `juju deploy` there. Pure, except that
// include files are looked at through the caller's pathExists.
import { posix } from 'node:path';
import { q, type JujuFlavour } from '../juju/syntax.js';
import { isMap, OVERLAY_ONLY_FIELDS, type PlainMap } from './merge.js';
import { bundleApplications, placementList } from './shape.js';

export function documentError(doc: unknown, index: number): string | null {
  if (isMap(doc)) return null;
  if (doc === null || doc === undefined)
    return index === 0 ? 'malformed bundle: bundle is empty not valid' : null;
  return `unmarshal document ${index}: yaml: unmarshal errors: cannot unmarshal ${Array.isArray(doc) ? '!!seq' : '!!str'} into charm.BundleData`;
}

/**
 * `BundleData.normalizeData`, run as each document is decoded: its first error ends the read, so there
 * is one message at most (`scale` with `num_units`, `placement` outside Kubernetes or beside `to`).
 */
export function normalizeError(doc: PlainMap, index: number): string | null {
  for (const section of ['applications', 'services']) {
    const apps = doc[section];
    if (!isMap(apps)) continue;
    for (const [name, app] of Object.entries(apps)) {
      if (!isMap(app)) continue;
      const scale = typeof app.scale === 'number' ? app.scale : 0;
      const units = typeof app.num_units === 'number' ? app.num_units : 0;
      let problem: string | null = null;
      const placement = typeof app.placement === 'string' ? app.placement : '';
      if (scale > 0 && units > 0)
        problem = `cannot specify both scale and num_units for application ${q(name)}`;
      else if (doc.bundle !== 'kubernetes' && placement !== '')
        problem = `placement (${placement}) not valid for non-Kubernetes application ${q(name)}`;
      else if (placement !== '' && placementList(app).length > 0)
        problem = `cannot specify both placement and to for application ${q(name)}`;
      if (problem) return `unmarshal document ${index}: ${problem}`;
    }
  }
  return null;
}

/** `VerifyNoOverlayFieldsPresent` on the base, at the start of `ReadAndMergeBundleData`. */
export function overlayFieldErrors(doc: PlainMap, juju: JujuFlavour): string[] {
  const errors: string[] = [];
  for (const [name, app] of Object.entries(bundleApplications(doc, juju).applications)) {
    if (!isMap(app)) continue;
    for (const field of OVERLAY_ONLY_FIELDS) {
      if (field in app) errors.push(`applications.${name}.${field} can only appear in an overlay section`);
    }
  }
  return errors;
}

/** Juju 2.9 reads legacy `services:` as `applications:`; overlays are merged onto that. */
export function withApplicationsKey(doc: PlainMap, juju: JujuFlavour): PlainMap {
  if (juju !== '2.9' || !isMap(doc.services) || 'applications' in doc) return doc;
  const { services, ...rest } = doc;
  return { ...rest, applications: services };
}

const INCLUDE_PREFIXES = ['include-file://', 'include-base64://'];

/**
 * Include directives in options and annotations, resolved after merging (juju-spec.md §1.1): a missing
 * file is fatal. Checked only when the caller lets us look at the file system.
 */
export function includeErrors(
  doc: PlainMap,
  juju: JujuFlavour,
  bundleDir: string,
  exists: ((path: string) => boolean) | undefined,
): string[] {
  if (!exists) return [];
  const errors: string[] = [];
  const check = (values: unknown, what: string, owner: string) => {
    if (!isMap(values)) return;
    for (const [key, value] of Object.entries(values)) {
      const prefix =
        typeof value === 'string' ? INCLUDE_PREFIXES.find((p) => value.startsWith(p)) : undefined;
      if (!prefix) continue;
      const path = (value as string).slice(prefix.length);
      const absolute = posix.normalize(path.startsWith('/') ? path : posix.join(bundleDir, path));
      if (!exists(absolute)) {
        errors.push(
          `processing ${what} ${q(key)} for ${owner}: resolving include ${q(path)}: include file ${q(absolute)} not found`,
        );
      }
    }
  };
  for (const [name, app] of Object.entries(bundleApplications(doc, juju).applications)) {
    if (!isMap(app)) continue;
    check(app.options, 'option', `application ${q(name)}`);
    check(app.annotations, 'annotation', `application ${q(name)}`);
  }
  for (const [id, machine] of Object.entries(isMap(doc.machines) ? doc.machines : {})) {
    if (isMap(machine)) check(machine.annotations, 'annotation', `machine ${q(id)}`);
  }
  return errors;
}
