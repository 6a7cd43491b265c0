// After tsc: bundle the CLI and the simulator's entry points with esbuild into dist/bin. One file per
// command chunk instead of hundreds of modules keeps start-up short (`lxdstack --help`, `plan`,
// `status`), since Node 20 has no module compile cache. Then place the simulator's `juju` and
// `conjure-up` launchers in dist/sim-bin, so tests and `--simulate` can put that folder first on PATH.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/bin');
rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts', 'src/sim/juju-main.ts', 'src/sim/conjure-main.ts'],
  outbase: 'src',
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies (handlebars) call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __lxdstackRequire } from 'node:module'; const require = __lxdstackRequire(import.meta.url);",
  },
});
chmodSync(join(out, 'cli.js'), 0o755);

const bin = join(root, 'dist/sim-bin');
mkdirSync(bin, { recursive: true });
for (const [name, entry] of [
  ['juju', '../bin/sim/juju-main.js'],
  ['conjure-up', '../bin/sim/conjure-main.js'],
]) {
  const file = join(bin, name);
  const text = `#!/usr/bin/env node\nimport '${entry}';\n`;
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // first build
  }
  // Rewriting a launcher that a running test is executing fails that spawn with ETXTBSY.
  if (current !== text) writeFileSync(file, text);
  chmodSync(file, 0o755);
}
