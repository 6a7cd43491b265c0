// `npm run bench`: every figure the issues set a target for, as medians of several whole runs, in one
// table. Each area adds a module in scripts/bench/ exporting `bench()` -> rows.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/bin/cli.js');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time of a whole process, after one warm-up run (file cache). */
export function timeProcess(args, { runs = 11, env = process.env, cwd = root } = {}) {
  spawnSync(process.execPath, args, { env, cwd, stdio: 'ignore' });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, cwd, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0 && result.status !== 1)
      throw new Error(`${args.join(' ')} exited ${result.status}`);
  }
  return median(times);
}

function cliRows(caBundleStart) {
  // A bare Node start is measured beside it, so a slow machine is told apart from a slow lxdstack.
  const node = timeProcess(['-e', ''], { runs: 15 });
  const value = timeProcess([cli, '--help'], { runs: 15 });
  return [
    ...(caBundleStart === undefined
      ? []
      : [
          {
            name: 'node -e "" with this environment\'s NODE_EXTRA_CA_CERTS (not used below)',
            target: 'info',
            value: caBundleStart,
            unit: 'ms',
            ok: true,
          },
        ]),
    { name: 'node -e "" (baseline: a bare Node start)', target: 'info', value: node, unit: 'ms', ok: true },
    { name: 'lxdstack --help, cold start (process)', target: '< 150 ms', value, unit: 'ms', ok: value < 150 },
  ];
}

async function main() {
  const only = process.argv[2];
  const rows = [];
  const failures = [];
  // Node parses every certificate of NODE_EXTRA_CA_CERTS at each start (~100 ms for a system bundle).
  // Sandboxes set it; a user's shell rarely does. The figures below are lxdstack's own, without it.
  let caBundleStart;
  if (process.env.NODE_EXTRA_CA_CERTS) {
    caBundleStart = timeProcess(['-e', ''], { runs: 9 });
    delete process.env.NODE_EXTRA_CA_CERTS;
  }
  if (!only || only === 'cli') rows.push(...cliRows(caBundleStart));
  const dir = join(root, 'scripts/bench');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort()) {
    const area = file.replace(/\.mjs$/, '');
    if (only && only !== area) continue;
    try {
      const module = await import(pathToFileURL(join(dir, file)).href);
      rows.push(...(await module.bench()).map((row) => ({ ...row, name: `[${area}] ${row.name}` })));
    } catch (error) {
      failures.push(`${area}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  const width = Math.max(...rows.map((r) => r.name.length), 10);
  console.log(`${'benchmark'.padEnd(width)}  ${'median'.padStart(10)}  target       result`);
  for (const row of rows) {
    const value = row.unit === 'ms' ? `${row.value.toFixed(1)} ms` : `${row.value.toFixed(2)} ${row.unit}`;
    console.log(
      `${row.name.padEnd(width)}  ${value.padStart(10)}  ${row.target.padEnd(11)}  ${row.ok ? 'ok' : 'MISSED'}`,
    );
  }
  for (const failure of failures) console.log(`could not run: ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
