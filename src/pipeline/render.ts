import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleChanges } from '../bundle/changes.js';
import { mergeBundle } from '../bundle/merge.js';
import { parseBundleText } from '../bundle/parse.js';
import { numUnits } from '../bundle/shape.js';
import { renderLab, renderedLabFiles, writeRenderedLab, type RenderedLab } from '../bundle/render.js';
import { validateBundle } from '../bundle/validate.js';
import { PROFILES } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import type { RenderedPaths } from './deploy-steps.js';

// The plan stage shared by `lxdstack plan` and `lxdstack deploy`: render the lab into .lxdstack/<lab>/,
// validate it with Juju's rules, and work out what `juju deploy` would change.

export interface LabPlan {
  rendered: RenderedLab;
  files: string[];
  paths: RenderedPaths;
  valid: boolean;
  errors: string[];
  changes: string[];
  flavour: '2.9' | '3';
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Applications of a (merged) bundle that get no units (num_units absent or 0). Pure. */
export function unitlessApplications(bundle: unknown): string[] {
  if (!isMap(bundle)) return [];
  const apps = bundle.applications ?? bundle.services;
  if (!isMap(apps)) return [];
  return Object.entries(apps)
    .filter(([, app]) => isMap(app) && numUnits(app) === 0)
    .map(([name]) => name)
    .sort();
}

/** Units per application of a (merged) bundle, as num_units gives them (absent: 0). Pure. */
export function bundleUnitCounts(bundle: unknown): Record<string, number> {
  if (!isMap(bundle)) return {};
  const apps = bundle.applications ?? bundle.services;
  if (!isMap(apps)) return {};
  return Object.fromEntries(
    Object.entries(apps).map(([name, app]) => [name, isMap(app) ? numUnits(app) : 0]),
  );
}

/** Applications of a (merged) bundle. Pure. */
export function bundleApplicationNames(bundle: unknown): string[] {
  if (!isMap(bundle)) return [];
  const apps = bundle.applications ?? bundle.services;
  return isMap(apps) ? Object.keys(apps).sort() : [];
}

/** Whether nova-compute can use kvm: the host has /dev/kvm (a simulated lab never does). */
export function labHasKvm(simulated: boolean): boolean {
  return !simulated && existsSync('/dev/kvm');
}

export async function planLab(
  spec: LabSpec,
  labDirectory: string,
  adminPassword: string,
  /** `write: false` (plan, dry runs): the files are listed, not written. */
  options: { hasKvm: boolean; write?: boolean },
): Promise<LabPlan> {
  const flavour = PROFILES[spec.profile].juju;
  const rendered = renderLab(spec, { adminPassword, hasKvm: options.hasKvm });
  const files =
    options.write === false
      ? renderedLabFiles(rendered).map(([relative]) => join(labDirectory, relative))
      : await writeRenderedLab(labDirectory, rendered);
  const base = parseBundleText(rendered.bundle, 'bundle.yaml')[0] ?? {};
  const overlays = rendered.overlays.map((o) => parseBundleText(o.text, `overlays/${o.name}`)[0] ?? {});
  const validation = validateBundle(
    { base, overlays },
    { juju: flavour, charms: { tracks: PROFILES[spec.profile].charmTracks } },
  );
  const { merged } = mergeBundle(base, overlays);
  const overlayPaths = rendered.overlays.map(
    (o) =>
      files.find((f) => f.endsWith(`/${o.name}`) || f.endsWith(`/${o.name}.yaml`)) ??
      join(labDirectory, 'overlays', o.name),
  );
  return {
    rendered,
    files,
    flavour,
    valid: validation.valid,
    errors: validation.errors,
    changes: validation.valid ? bundleChanges(merged, { juju: flavour }) : [],
    paths: {
      bundlePath: join(labDirectory, 'bundle.yaml'),
      overlayPaths,
      profilePath: join(labDirectory, 'lxd-profile.yaml'),
      profileYaml: rendered.lxdProfile,
      spellDir: join(labDirectory, 'spell'),
      applications: bundleApplicationNames(merged),
      unitless: unitlessApplications(merged),
      units: bundleUnitCounts(merged),
    },
  };
}
