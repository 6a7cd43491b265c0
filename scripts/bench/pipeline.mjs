// Bench rows of the lifecycle (issue 7): a whole simulated deploy of the tutorial profile with instant
// settling (total, and the orchestration overhead: total minus the time spent inside the juju, LXD and
// OpenStack calls), the `juju status` calls per minute of a real wait against the polling policy, and
// `lxdstack plan` as a whole process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const dist = new URL('../../dist/src/', import.meta.url);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time of a whole process after one warm-up run; it must succeed. */
function timeProcess(args, { cwd, runs }) {
  const once = () => {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
    return performance.now() - started;
  };
  once();
  return median(Array.from({ length: runs }, once));
}
const load = (path) => import(new URL(path, dist).href);

function quietContext(cwd, env) {
  const sink = new PassThrough();
  sink.resume();
  return {
    cwd,
    env: { ...process.env, CI: '1', ...env },
    stdin: new PassThrough(),
    stdout: sink,
    stderr: sink,
    interactive: false,
    signal: new globalThis.AbortController().signal,
  };
}

/** Wrap every port method so the time spent inside it is summed (the work the pipeline waits on). */
function timed(ports, clock) {
  const wrap = (target) =>
    Object.fromEntries(
      Object.entries(target).map(([key, value]) => {
        if (typeof value !== 'function')
          return [key, value && typeof value === 'object' ? wrap(value) : value];
        return [
          key,
          async (...args) => {
            const started = performance.now();
            try {
              return await value(...args);
            } finally {
              clock.insideMs += performance.now() - started;
            }
          },
        ];
      }),
    );
  return { juju: wrap(ports.juju), lxd: wrap(ports.lxd), cloud: wrap(ports.cloud) };
}

/** One deploy of a fresh tutorial lab on the simulator; returns its timings and status calls. */
async function oneDeploy(speed) {
  const { defaultSpec } = await load('lab/defaults.js');
  const { writeLabYaml } = await load('lab/labfile.js');
  const { openLab } = await load('pipeline/session.js');
  const { createLabPorts } = await load('pipeline/wiring.js');
  const { deployInSession } = await load('commands/deploy.js');
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-bench-'));
  try {
    await writeLabYaml(join(cwd, 'lab.yaml'), defaultSpec('tutorial-2016'));
    const ctx = quietContext(cwd, { LXDSTACK_SIM_SPEED: String(speed) });
    const clock = { insideMs: 0, statusCalls: 0, waitMs: 0, waitStatusCalls: 0 };
    const started = performance.now();
    const session = await openLab(ctx, { command: 'deploy', simulate: true });
    try {
      const ports = createLabPorts({
        session,
        env: ctx.env,
        signal: ctx.signal,
        cwd,
        onStatusCall: () => clock.statusCalls++,
      });
      const measured = timed(ports, clock);
      const wait = measured.juju.waitForReady;
      measured.juju.waitForReady = async (input) => {
        const before = { at: performance.now(), calls: clock.statusCalls };
        try {
          return await wait(input);
        } finally {
          clock.waitMs += performance.now() - before.at;
          clock.waitStatusCalls += clock.statusCalls - before.calls;
        }
      };
      await deployInSession(session, ctx, { flags: '', ports: measured });
    } finally {
      await session.release();
    }
    return { totalMs: performance.now() - started, ...clock };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

export async function bench() {
  const instant = [];
  for (let i = 0; i < 3; i++) instant.push(await oneDeploy(0));
  const total = median(instant.map((r) => r.totalMs));
  const overhead = median(instant.map((r) => r.totalMs - r.insideMs));

  // A wait long enough to count polls: the simulator at speed 5 settles the bundle in ~20-40 s. The rate
  // is polls after the first (which starts the wait) per minute of waiting.
  const slow = await oneDeploy(5);
  const perMinute = slow.waitMs > 0 ? Math.max(0, slow.waitStatusCalls - 1) / (slow.waitMs / 60_000) : 0;
  // The polling policy: at most one status call every 2 s (src/juju/readiness.ts), never two at once.
  const policy = 30;

  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-bench-plan-'));
  const { defaultSpec } = await load('lab/defaults.js');
  const { writeLabYaml } = await load('lab/labfile.js');
  await writeLabYaml(join(cwd, 'lab.yaml'), defaultSpec('tutorial-2016'));
  const plan = timeProcess([new URL('../../dist/bin/cli.js', import.meta.url).pathname, 'plan'], {
    cwd,
    runs: 7,
  });
  await rm(cwd, { recursive: true, force: true });

  return [
    {
      name: 'simulated deploy, tutorial profile, instant settling (total)',
      target: '< 3000 ms',
      value: Math.round(total),
      unit: 'ms',
      ok: total < 3000,
    },
    {
      name: 'simulated deploy: orchestration overhead (total - time in juju/LXD/OpenStack calls)',
      target: '< 1000 ms',
      value: Math.round(overhead),
      unit: 'ms',
      ok: overhead < 1000,
    },
    {
      name: `juju status calls per minute of waiting (wait of ${Math.round(slow.waitMs / 1000)} s)`,
      target: `<= ${policy} /min`,
      value: Math.round(perMinute * 10) / 10,
      unit: '/min',
      ok: perMinute <= policy,
    },
    {
      name: 'lxdstack plan (process)',
      target: '< 400 ms',
      value: Math.round(plan),
      unit: 'ms',
      ok: plan < 400,
    },
  ];
}
