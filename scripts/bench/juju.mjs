// Juju engine figures (issue 4): parsing + digesting a big status document, and `lxdstack status` as a
// process against the simulator. Runs against the built code in dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStatus, digestStatus } from '../../dist/src/juju/status.js';
import { simulatorEnv } from '../../dist/src/sim/env.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time of a whole process after one warm-up run; it must succeed. */
function timeProcess(file, args, env, runs) {
  spawnSync(file, args, { env, stdio: 'ignore' });
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    const result = spawnSync(file, args, { env, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.status}`);
  }
  return median(times);
}

/** A 3.x status document: 500 machines, 2,000 units (1,500 principals + 500 subordinates on them). */
function bigStatusText() {
  const since = '22 Nov 2026 03:00:00Z';
  const machines = {};
  for (let m = 0; m < 500; m += 1) {
    machines[String(m)] = {
      'juju-status': { current: 'started', since, version: '3.6.1' },
      hostname: `juju-abcdef-${m}`,
      'dns-name': `10.1.${m >> 8}.${m & 255}`,
      'ip-addresses': [`10.1.${m >> 8}.${m & 255}`],
      'instance-id': `juju-abcdef-${m}`,
      'machine-status': { current: 'running', message: 'Running', since },
      'modification-status': { current: 'idle', since },
      base: { name: 'ubuntu', channel: '22.04' },
      hardware: 'arch=amd64 cores=0 mem=0M virt-type=container',
    };
  }
  const applications = {};
  let machine = 0;
  for (let a = 0; a < 75; a += 1) {
    const units = {};
    for (let u = 0; u < 20; u += 1) {
      const unit = {
        'workload-status': { current: 'active', message: 'Unit is ready', since },
        'juju-status': { current: 'idle', since, version: '3.6.1' },
        ...(u === 0 ? { leader: true } : {}),
        machine: String(machine++ % 500),
        'public-address': '10.1.0.1',
      };
      if (a < 25) {
        unit.subordinates = {
          [`sub${a}/${u}`]: {
            'workload-status': { current: 'active', message: 'Unit is ready', since },
            'juju-status': { current: 'idle', since, version: '3.6.1' },
            ...(u === 0 ? { leader: true } : {}),
          },
        };
      }
      units[`app${a}/${u}`] = unit;
    }
    applications[`app${a}`] = {
      charm: `app${a}`,
      'charm-origin': 'charmhub',
      'charm-name': `app${a}`,
      'charm-rev': 1,
      exposed: false,
      'application-status': { current: 'active', since },
      units,
    };
    if (a < 25)
      applications[`sub${a}`] = {
        charm: `sub${a}`,
        'charm-name': `sub${a}`,
        'subordinate-to': [`app${a}`],
        'application-status': { current: 'active', since },
      };
  }
  return JSON.stringify({ model: { name: 'big', type: 'iaas', version: '3.6.1' }, machines, applications });
}

function parseRow() {
  const text = bigStatusText();
  const times = [];
  let units = 0;
  for (let i = 0; i < 15; i += 1) {
    const started = process.hrtime.bigint();
    const digest = digestStatus(parseStatus(JSON.parse(text)));
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    units = digest.units.total;
  }
  if (units !== 2000) throw new Error(`expected 2000 units, digested ${units}`);
  const value = median(times.slice(2));
  return {
    name: 'parse + digest status, 2,000 units / 500 machines',
    target: '< 50 ms',
    value,
    unit: 'ms',
    ok: value < 50,
  };
}

function statusProcessRow() {
  const simDir = mkdtempSync(join(tmpdir(), 'lxdstack-bench-juju-'));
  const env = { ...simulatorEnv(simDir), LXDSTACK_SIM_JUJU_VERSION: '2.9.46', LXDSTACK_SIM_SPEED: '0' };
  const juju = join(root, 'dist/sim-bin/juju');
  execFileSync(juju, ['bootstrap', 'localhost', 'lxdstack'], { env, stdio: 'ignore' });
  execFileSync(juju, ['add-model', 'openstack'], { env, stdio: 'ignore' });
  execFileSync(juju, ['deploy', join(root, 'test/fixtures/juju/tutorial')], { env, stdio: 'ignore' });
  const cliArgs = [join(root, 'dist/bin/cli.js'), 'status', '--json', '--model', 'lxdstack:openstack'];
  const value = timeProcess(process.execPath, cliArgs, env, 9);
  const jujuAlone = timeProcess(juju, ['status', '-m', 'lxdstack:openstack', '--format', 'json'], env, 9);
  return [
    {
      name: 'lxdstack status --json (process) on the simulated tutorial model',
      target: '< 300 ms',
      value,
      unit: 'ms',
      ok: value < 300,
    },
    {
      name: '  of which: simulated juju status (process)',
      target: 'info',
      value: jujuAlone,
      unit: 'ms',
      ok: true,
    },
  ];
}

export async function bench() {
  return [parseRow(), ...statusProcessRow()];
}
