// Compile src/, test/ and scripts/ to plain JavaScript in dist/test-tree, a mirror of the repository, so
// `npm run test:unit` runs its ~100 test files without a TypeScript loader in every worker. tsx costs
// each worker process about 0.45 s of CPU before the first test (its hooks run on a thread of their
// own, and every import crosses to it); on a 2-core machine that alone was over a minute per run.
// The mirror keeps every relative path a test or module resolves from import.meta.url: each .ts file
// becomes a .js file beside a link to its source, and everything else (fixtures, templates, bundles,
// package.json, node_modules, dist) is a link to the real thing. Snapshots are linked under the name
// the compiled test file looks for. `npx ava FILE.ts` keeps working on the sources (package.json's ava
// config loads tsx) for one file at a time.
//
// Then the test files of each folder are grouped into one worker (dist/test-tree/test/<folder>.test.js
// imports them), as vitest's `isolate: false` does: AVA's own start costs each worker ~0.4 s of CPU,
// which for ~100 files was a third of the run. A file keeps a worker of its own when it depends on
// being alone in it: serial tests, file-level hooks, or snapshots (AVA names them after the worker's
// file). dist/test-tree/ava-files.json lists the workers for ava.compiled.config.js.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tree = join(root, 'dist/test-tree');
const COMPILED = ['src', 'test', 'scripts'];
const NOT_MIRRORED = new Set(['.git', 'dist', ...COMPILED]);

rmSync(tree, { recursive: true, force: true });
mkdirSync(tree, { recursive: true });

function link(target, at) {
  symlinkSync(relative(dirname(at), target), at);
}

for (const name of readdirSync(root)) {
  if (!NOT_MIRRORED.has(name)) link(join(root, name), join(tree, name));
}
// The real dist (the built CLI and the simulator's launchers), minus the mirror itself.
mkdirSync(join(tree, 'dist'));
for (const name of readdirSync(join(root, 'dist'))) {
  if (name !== 'test-tree') link(join(root, 'dist', name), join(tree, 'dist', name));
}

const entryPoints = [];
function mirror(dir) {
  mkdirSync(join(tree, dir), { recursive: true });
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name === 'snapshots') mirrorSnapshots(path);
    else if (entry.isDirectory() && path !== join('test', 'fixtures')) mirror(path);
    else {
      link(join(root, path), join(tree, path));
      if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) entryPoints.push(path);
    }
  }
}

/** AVA names a snapshot after its test file: `x.test.ts.snap` is read as `x.test.js.snap` here. */
function mirrorSnapshots(dir) {
  mkdirSync(join(tree, dir));
  for (const name of readdirSync(join(root, dir))) {
    link(join(root, dir, name), join(tree, dir, name.replace('.ts.', '.js.')));
  }
}

for (const dir of COMPILED) mirror(dir);

await build({
  absWorkingDir: root,
  entryPoints,
  outbase: '.',
  outdir: tree,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Node 20.10+ has them; esbuild's table would strip `with { type: 'json' }` for plain node20.
  supported: { 'import-attributes': true },
  sourcemap: 'inline',
  logLevel: 'warning',
});

/** What makes a test file need a worker of its own. */
const ALONE = /\btest\.(serial|before|after)\b|\.snapshot\(/;

const testFiles = entryPoints.filter((path) => path.endsWith('.test.ts') && !path.endsWith('.real.test.ts'));
const alone = [];
const groups = new Map();
for (const path of testFiles) {
  const compiled = path.replace(/\.ts$/, '.js');
  const folder = path.split('/')[1];
  if (ALONE.test(readFileSync(join(root, path), 'utf8')) || folder.endsWith('.test.ts')) alone.push(compiled);
  else groups.set(folder, [...(groups.get(folder) ?? []), compiled]);
}
const workers = [...alone.map((path) => join('dist/test-tree', path))];
for (const [folder, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
  const group = join('test', `${folder}.test.js`);
  const imports = members.map((path) => `import './${relative('test', path)}';`);
  writeFileSync(join(tree, group), `${imports.join('\n')}\n`);
  workers.push(join('dist/test-tree', group));
}
writeFileSync(join(tree, 'ava-files.json'), `${JSON.stringify(workers, null, 2)}\n`);
