import { SimCommandFailure } from './failure.js';

// The part of juju's bundle handling the simulator needs to create exactly the bundle's applications,
// units, machines and relations: overlay merge (juju-spec.md §1.1), the 2.9/3.x key differences (§2.9)
// and placement (§2.4). Full verification belongs to src/bundle; here only what decides the result.

export interface SimBundleApp {
  charm: string;
  channel?: string;
  series?: string;
  numUnits: number;
  to: string[];
  expose: boolean;
  options: Record<string, unknown>;
  constraints?: string;
}

export interface SimBundle {
  series?: string;
  applications: Record<string, SimBundleApp>;
  machines: Record<string, { series?: string; constraints?: string }>;
  relations: [string, string][];
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAP_FIELDS = new Set(['options', 'annotations', 'storage', 'devices', 'bindings', 'resources']);

function applicationsOf(doc: Plain, flavour: '2.9' | '3'): Plain | undefined {
  if (flavour === '2.9' && doc.services !== undefined) {
    if (doc.applications !== undefined)
      throw new SimCommandFailure('cannot deploy bundle: cannot specify both applications and services');
    return doc.services as Plain;
  }
  return doc.applications as Plain | undefined;
}

/** Merge overlay documents into the base as juju's applyOverlay does. */
export function mergeBundleDocuments(documents: unknown[], flavour: '2.9' | '3'): Plain {
  const [base, ...overlays] = documents;
  if (!isPlain(base))
    throw new SimCommandFailure('cannot deploy bundle: malformed bundle: bundle is empty not valid');
  const merged: Plain = { ...base, applications: { ...(applicationsOf(base, flavour) ?? {}) } };
  delete merged.services;
  const apps = merged.applications as Plain;
  const relations = [...((base.relations as unknown[]) ?? [])];
  for (const overlay of overlays) {
    if (!isPlain(overlay)) continue;
    if (overlay.services !== undefined) {
      throw new SimCommandFailure(
        "cannot deploy bundle: bundle overlay file used deprecated 'services' key, this is not valid for bundle overlay files",
      );
    }
    for (const [name, body] of Object.entries((overlay.applications as Plain) ?? {})) {
      if (body === null || body === undefined) {
        delete apps[name];
        for (let i = relations.length - 1; i >= 0; i -= 1) {
          const pair = relations[i] as unknown[];
          if (pair.some((ep) => String(ep) === name || String(ep).startsWith(`${name}:`)))
            relations.splice(i, 1);
        }
        continue;
      }
      const current = apps[name];
      if (!isPlain(current)) {
        apps[name] = body;
        continue;
      }
      const next: Plain = { ...current };
      for (const [key, value] of Object.entries(body as Plain)) {
        if (MAP_FIELDS.has(key) && isPlain(value) && isPlain(next[key]) && Object.keys(value).length > 0) {
          const map: Plain = { ...(next[key] as Plain) };
          for (const [k, v] of Object.entries(value)) {
            if (v === null) delete map[k];
            else map[k] = v;
          }
          next[key] = map;
        } else {
          next[key] = value;
        }
      }
      apps[name] = next;
    }
    if (overlay.series !== undefined) merged.series = overlay.series;
    if (overlay.machines !== undefined) merged.machines = overlay.machines;
    relations.push(...((overlay.relations as unknown[]) ?? []));
  }
  merged.relations = relations;
  return merged;
}

/** The merged bundle as the simulator deploys it, or the juju error a real deploy would print. */
export function readSimBundle(documents: unknown[], flavour: '2.9' | '3'): SimBundle {
  const merged = mergeBundleDocuments(documents, flavour);
  const errors: string[] = [];
  const applications: Record<string, SimBundleApp> = {};
  const rawApps = merged.applications as Plain;
  if (Object.keys(rawApps).length === 0) errors.push('at least one application must be specified');
  for (const [name, body] of Object.entries(rawApps)) {
    if (!isPlain(body)) {
      errors.push(`bundle application for key "${name}" is undefined`);
      continue;
    }
    const charm = body.charm === undefined ? '' : String(body.charm);
    if (charm === '') errors.push('empty charm path');
    if (flavour === '3' && charm.startsWith('cs:')) {
      errors.push(
        `invalid charm URL in application "${name}": cannot parse URL "${charm}": schema "cs" not valid`,
      );
    }
    const numUnits = body.num_units === undefined ? 0 : Number(body.num_units);
    if (!Number.isInteger(numUnits) || numUnits < 0)
      errors.push(`negative number of units specified on application "${name}"`);
    const to = Array.isArray(body.to) ? body.to.map(String) : [];
    if (to.length > numUnits)
      errors.push(`too many units specified in unit placement for application "${name}"`);
    applications[name] = {
      charm,
      channel: body.channel === undefined ? undefined : String(body.channel),
      series: body.base === undefined ? (body.series as string | undefined) : String(body.base),
      numUnits,
      to,
      expose: body.expose === true,
      options: isPlain(body.options) ? body.options : {},
      ...(typeof body.constraints === 'string' && body.constraints !== ''
        ? { constraints: body.constraints }
        : {}),
    };
  }
  const machines: SimBundle['machines'] = {};
  for (const [id, body] of Object.entries((merged.machines as Plain) ?? {})) {
    const spec = isPlain(body) ? body : {};
    machines[id] = {
      series: (spec.base ?? spec.series) as string | undefined,
      constraints: spec.constraints as string | undefined,
    };
  }
  const relations: [string, string][] = [];
  for (const pair of (merged.relations as unknown[]) ?? []) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      errors.push(
        `relation ${JSON.stringify(pair)} has ${Array.isArray(pair) ? pair.length : 0} endpoint(s), not 2`,
      );
      continue;
    }
    const [a, b] = pair.map(String) as [string, string];
    for (const ep of [a, b]) {
      const app = ep.split(':')[0] ?? '';
      if (!(app in applications))
        errors.push(`relation ["${a}" "${b}"] refers to application "${app}" not defined in this bundle`);
    }
    relations.push([a, b]);
  }
  for (const app of Object.values(applications)) {
    for (const directive of app.to) {
      const target = /^(?:[a-z]+:)?(\d+)$/.exec(directive);
      if (target && !(target[1]! in machines)) {
        errors.push(`placement "${directive}" refers to a machine not defined in this bundle`);
      }
      const unitTarget = /^(?:[a-z]+:)?([a-z][a-z0-9-]*)(?:\/(\d+))?$/.exec(directive);
      if (unitTarget && unitTarget[1] !== 'new' && !(unitTarget[1]! in applications)) {
        errors.push(`placement "${directive}" refers to an application not defined in this bundle`);
      }
    }
  }
  if (errors.length > 0) {
    throw new SimCommandFailure(
      `cannot deploy bundle: the provided bundle has the following errors:\n${[...new Set(errors)].sort().join('\n')}`,
    );
  }
  return { series: merged.series as string | undefined, applications, machines, relations };
}

/** The charm's name from its URL: `cs:xenial/glance-12` → `glance`, `ch:amd64/jammy/mysql` → `mysql`. */
export function charmNameOf(url: string): string {
  const withoutSchema = url.replace(/^[a-z]+:/, '');
  const last = withoutSchema.split('/').pop() ?? withoutSchema;
  return last.replace(/-\d+$/, '');
}
