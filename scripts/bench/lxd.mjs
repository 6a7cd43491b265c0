// LXD area benchmarks: `lxdstack doctor` against the real local LXD (scripts/lxd-up.sh), as a user runs
// it (a whole CLI process), with and without the container smoke; medians of several runs after a
// warm-up. doctor exits 3 on a host where some check fails (here: no juju, no kernel modules), so the
// run counts when its JSON shows the LXD daemon answered and, with the smoke, that the smoke passed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist/bin/cli.js');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One doctor run: wall time, and whether it really measured the real LXD. */
function doctorOnce(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'doctor', '--json', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let checks = [];
  try {
    checks = JSON.parse(result.stdout).checks;
  } catch {
    return { ms, problem: `no JSON (exit ${result.status}): ${result.stderr.trim().split('\n')[0]}` };
  }
  const status = (id) => checks.find((c) => c.id === id)?.status;
  if (status('lxd-daemon') !== 'pass')
    return { ms, problem: 'LXD not reachable: run `bash scripts/lxd-up.sh`' };
  if (!args.includes('--no-container-smoke') && status('container-smoke') !== 'pass')
    return { ms, problem: 'container smoke did not pass' };
  return { ms };
}

function measure(name, args, targetMs, runs) {
  const cwd = mkdtempSync(join(tmpdir(), 'lxdstack-bench-doctor-'));
  doctorOnce(args, cwd);
  const samples = Array.from({ length: runs }, () => doctorOnce(args, cwd));
  const problem = samples.find((s) => s.problem)?.problem;
  const value = Math.round(median(samples.map((s) => s.ms)));
  return {
    name: problem ? `${name} (${problem})` : name,
    target: `< ${targetMs} ms`,
    value,
    unit: 'ms',
    ok: !problem && value < targetMs,
  };
}

export async function bench() {
  return [
    measure('lxdstack doctor, real LXD, with container smoke (process)', [], 5_000, 5),
    measure('lxdstack doctor, real LXD, --no-container-smoke (process)', ['--no-container-smoke'], 1_000, 7),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await bench())
    console.log(`${row.ok ? 'ok  ' : 'MISS'} ${row.name}: ${row.value} ${row.unit} (target ${row.target})`);
}
