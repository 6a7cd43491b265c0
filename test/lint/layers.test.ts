import test from 'ava';
import { execa } from 'execa';
import { realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The layer rule is checked by `npm run lint` (dependency-cruiser, .dependency-cruiser.mjs). These
// tests keep that check honest: the tree as it is passes, and a tree with upward imports fails with
// the rule each one breaks, so the rule cannot silently stop matching.

// The repository itself, also when this file runs compiled from dist/test-tree (a mirror of links).
const ROOT = dirname(realpathSync(fileURLToPath(new URL('../../package.json', import.meta.url))));
const CONFIG = join(ROOT, '.dependency-cruiser.mjs');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

/** Run the check as `npm run lint` does; its error lines as `rule: from -> to`, sorted. */
async function cruise(cwd: string): Promise<{ exitCode: number; violations: string[]; output: string }> {
  const result = await execa(DEPCRUISE, ['src', '--config', CONFIG], {
    cwd,
    reject: false,
    timeout: 90_000,
    env: { NO_COLOR: '1' },
  });
  const output = String(result.stdout);
  const violations = [...output.matchAll(/^\s*error (\S+): (\S+) → (\S+)$/gm)].map(
    ([, rule, from, to]) => `${rule}: ${from} -> ${to}`,
  );
  return { exitCode: result.exitCode ?? -1, violations: violations.sort(), output };
}

test('the tree as it is keeps the layer rule', async (t) => {
  const { exitCode, violations, output } = await cruise(ROOT);
  t.deepEqual(violations, []);
  t.regex(output, /no dependency violations found/);
  t.is(exitCode, 0);
});

test('an upward import fails the layer check, type-only and dynamic ones included', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-layers-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'src/util/run.ts': 'export const run = 1;\n',
    'src/state/ledger.ts':
      "import type { LabPorts } from '../pipeline/ports.js';\nexport type L = LabPorts;\n",
    'src/juju/client.ts': "export const c = async () => import('../lab/schema.js');\n",
    'src/lab/schema.ts': "import { c } from '../juju/client.js';\nexport const s = c;\n",
    'src/lxd/nested.ts': "import { c } from '../juju/client.js';\nexport const n = c;\n",
    'src/pipeline/ports.ts': "import { run } from '../util/run.js';\nexport type LabPorts = typeof run;\n",
    'src/pipeline/wiring.ts':
      "import { env } from '../sim/env.js';\nimport { state } from '../sim/state.js';\nimport { cmd } from '../commands/deploy.js';\nexport const w = [env, state, cmd];\n",
    'src/sim/env.ts': "export const env = 'seam';\n",
    'src/sim/state.ts': "export const state = 'private';\n",
    'src/commands/deploy.ts': "import { w } from '../pipeline/wiring.js';\nexport const cmd = w;\n",
    'src/extra/thing.ts': "import { run } from '../util/run.js';\nexport const x = run;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await copyFile(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));

  const { exitCode, violations } = await cruise(dir);
  t.deepEqual(violations, [
    'layers-juju: src/juju/client.ts -> src/lab/schema.ts',
    'layers-lxd: src/lxd/nested.ts -> src/juju/client.ts',
    'layers-no-unknown-folder-importing: src/extra/thing.ts -> src/util/run.ts',
    'layers-pipeline: src/pipeline/wiring.ts -> src/commands/deploy.ts',
    'layers-sim-seams: src/pipeline/wiring.ts -> src/sim/state.ts',
    'layers-state: src/state/ledger.ts -> src/pipeline/ports.ts',
  ]);
  t.is(exitCode, violations.length);
});
