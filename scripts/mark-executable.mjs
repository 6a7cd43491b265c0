// After tsc: make the CLI executable and place the simulator's `juju` and `conjure-up` launchers in
// dist/sim-bin, so tests and `--simulate` can put that folder first on PATH, exactly as a user's juju.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
chmodSync(join(root, 'dist/src/cli.js'), 0o755);
const bin = join(root, 'dist/sim-bin');
mkdirSync(bin, { recursive: true });
for (const [name, entry] of [
  ['juju', '../src/sim/juju-main.js'],
  ['conjure-up', '../src/sim/conjure-main.js'],
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
