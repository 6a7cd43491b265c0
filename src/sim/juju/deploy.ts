import { boolFlag, parseArgs, stringFlag } from '../args.js';
import { applyBundle } from '../deploy.js';
import { readSimState, updateSimState } from '../state.js';
import { loadBundle } from './bundle-files.js';
import { type Command, spec } from './context.js';
import { resolveModel } from './lookup.js';
import { syncModelContainers } from './lxd-facts.js';

export const deploy: Command = async (ctx, args) => {
  const parsed = parseArgs(
    args,
    spec({
      overlay: 'multi',
      'dry-run': 'bool',
      trust: 'bool',
      force: 'bool',
      'map-machines': 'value',
      channel: 'value',
    }),
  );
  const bundle = await loadBundle(ctx, parsed);
  if (boolFlag(parsed, 'dry-run')) {
    const state = await readSimState(ctx.dir);
    const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
    const copy = structuredClone(model);
    const plan = applyBundle(copy, bundle, ctx.flavour, ctx.now());
    ctx.io.stdout(
      plan.changes.length === 0
        ? 'No changes to apply.\n'
        : `Changes to deploy bundle:\n${plan.changes.map((c) => `- ${c}\n`).join('')}`,
    );
    return;
  }
  await updateSimState(ctx.dir, (state) => {
    const { model } = resolveModel(state, ctx, stringFlag(parsed, 'model'));
    const plan = applyBundle(model, bundle, ctx.flavour, ctx.now());
    syncModelContainers(state, model);
    for (const notice of plan.notices) ctx.io.stderr(`${notice}\n`);
    for (const app of Object.values(bundle.applications)) {
      ctx.io.stderr(
        `Located charm "${app.charm
          .replace(/^(cs|ch):/, '')
          .split('/')
          .pop()}" in ${app.charm.startsWith('cs:') ? 'charm-store' : 'charm-hub'}, channel ${app.channel ?? 'stable'}\n`,
      );
    }
    if (plan.changes.length === 0) {
      ctx.io.stdout('No changes to apply.\n');
      return;
    }
    ctx.io.stdout(`Executing changes:\n${plan.changes.map((c) => `- ${c}\n`).join('')}`);
    ctx.io.stderr('Deploy of bundle completed.\n');
  });
};
