// Bundle area benchmarks, in-process against the built code in dist/: rendering and validating the
// tutorial lab, and validating a generated bundle of 1,000 applications and 3,000 relations (parse
// included, as `lxdstack bundle validate` does it). Medians of several runs after warm-up runs (the
// in-process figures are steady state: the JIT has seen the code, as in a long-lived caller).
import { performance } from 'node:perf_hooks';
import { defaultSpec } from '../../dist/src/lab/defaults.js';
import { renderLab } from '../../dist/src/bundle/render.js';
import { parseBundleText } from '../../dist/src/bundle/parse.js';
import { validateBundle } from '../../dist/src/bundle/validate.js';
import { bundleChanges } from '../../dist/src/bundle/changes.js';
import { largeBundle } from '../../dist/src/bundle/synthetic.js';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeRuns(fn, { warmup = 20, runs = 21 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

function renderAndValidateTutorial() {
  const rendered = renderLab(defaultSpec('tutorial-2016'), { adminPassword: 'bench-password' });
  const base = parseBundleText(rendered.bundle, 'bundle.yaml')[0];
  const overlays = rendered.overlays.map((o) => parseBundleText(o.text, o.name)[0]);
  const result = validateBundle({ base, overlays }, { juju: '2.9' });
  if (!result.valid) throw new Error(`tutorial bundle invalid: ${result.errors.join('; ')}`);
  bundleChanges(base, { juju: '2.9' });
}

export async function bench() {
  const tutorial = timeRuns(renderAndValidateTutorial);
  const text = largeBundle(1000, 3000);
  const parsed = parseBundleText(text, 'large.yaml')[0];
  const validateOnly = timeRuns(() => {
    if (!validateBundle({ base: parsed }, { juju: '3' }).valid) throw new Error('large bundle invalid');
  });
  const parseAndValidate = timeRuns(
    () => {
      if (!validateBundle({ base: parseBundleText(text, 'large.yaml')[0] }, { juju: '3' }).valid)
        throw new Error('large bundle invalid');
    },
    { warmup: 3, runs: 7 },
  );
  return [
    {
      name: 'render + validate + changes, tutorial lab (in-process)',
      target: '< 50 ms',
      value: tutorial,
      unit: 'ms',
      ok: tutorial < 50,
    },
    {
      name: 'validate 1,000 apps / 3,000 relations (parsed)',
      target: '< 300 ms',
      value: validateOnly,
      unit: 'ms',
      ok: validateOnly < 300,
    },
    {
      name: 'parse + validate 1,000 apps / 3,000 relations',
      target: '< 1000 ms (any input within a second)',
      value: parseAndValidate,
      unit: 'ms',
      ok: parseAndValidate < 1000,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await bench());
}
