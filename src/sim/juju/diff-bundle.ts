import { parseArgs, stringFlag } from '../args.js';
import { readSimState } from '../state.js';
import { loadBundle } from './bundle-files.js';
import { stringify, type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';

export const diffBundle: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({
      overlay: 'multi',
      'map-machines': 'value',
      annotations: 'bool',
      series: 'bool',
      base: 'bool',
      channel: 'value',
      arch: 'value',
    }),
  );
  const bundle = await loadBundle(ctx, parsed);
  const state = await readSimState(ctx.dir);
  const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
  const applications: Record<string, unknown> = {};
  for (const [name, app] of Object.entries(bundle.applications)) {
    const existing = model.applications[name];
    if (!existing) applications[name] = { missing: 'model' };
    else if (!existing.subordinate && Object.keys(existing.units).length !== app.numUnits) {
      applications[name] = { num_units: { bundle: app.numUnits, model: Object.keys(existing.units).length } };
    }
  }
  for (const name of Object.keys(model.applications))
    if (!bundle.applications[name]) applications[name] = { missing: 'bundle' };
  const key = (pair: readonly string[]) => [...pair].sort().join(' ');
  const inModel = new Set(model.relations.map(key));
  const inBundle = new Set(bundle.relations.map(key));
  const bundleAdditions = bundle.relations.filter((p) => !inModel.has(key(p)));
  const modelAdditions = model.relations.filter((p) => !inBundle.has(key(p)));
  const diff: Record<string, unknown> = {};
  if (Object.keys(applications).length > 0) diff.applications = applications;
  if (bundleAdditions.length + modelAdditions.length > 0) {
    diff.relations = {
      ...(bundleAdditions.length ? { 'bundle-additions': bundleAdditions } : {}),
      ...(modelAdditions.length ? { 'model-additions': modelAdditions } : {}),
    };
  }
  ctx.io.stdout(Object.keys(diff).length === 0 ? '{}\n' : await stringify(diff));
};
