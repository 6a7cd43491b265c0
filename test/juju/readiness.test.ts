import test from 'ava';
import { readFile, readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { assessReadiness, waitForReady, type WaitOptions } from '../../src/juju/readiness.js';
import { parseStatus } from '../../src/juju/status.js';
import { createJujuClient } from '../../src/juju/client.js';
import { InterruptedError, TimeoutError } from '../../src/util/errors.js';
import { FIXTURES, simLab } from './sim-lab.js';
import { simulatorRunner } from '../helpers/sim-runner.js';

// The verdicts are tested against the simulator played in this process; the two hang tests need juju
// processes of their own (their process group is what is killed).
const IN_PROCESS = { runner: simulatorRunner };

const quick: WaitOptions = {
  timeoutMs: 30_000,
  settleMs: 200,
  stallMs: 1500,
  poll: { minMs: 40, maxMs: 120 },
};
const bundle = join(FIXTURES, 'two-apps.yaml');

test('pure rule: a blocked subordinate blocks readiness unless declared as an exception, then it settles', async (t) => {
  const status = parseStatus(
    JSON.parse(await readFile(join(FIXTURES, 'status-3.6.4-subordinates.json'), 'utf8')),
  );
  const rules = { settleMs: 15_000, stallMs: 600_000 };
  const first = assessReadiness(status, undefined, 0, rules);
  t.is(first.verdict.kind, 'waiting');
  t.deepEqual(first.verdict.kind === 'waiting' && first.verdict.reasons, [
    'nrpe/1: blocked "Nagios server not configured or related"',
    'nrpe/2: blocked "Nagios server not configured or related"',
  ]);
  const stalled = assessReadiness(status, first.history, 600_000, rules);
  t.is(stalled.verdict.kind, 'stalled');
  t.regex(stalled.verdict.kind === 'stalled' ? stalled.verdict.hint : '', /blocked .*declare an exception/);

  const excepted = {
    ...rules,
    exceptions: [{ application: 'nrpe', status: 'blocked', message: 'Nagios server' }],
  };
  const settling = assessReadiness(status, undefined, 0, excepted);
  t.deepEqual(settling.verdict, { kind: 'waiting', reasons: [], settling: true });
  t.deepEqual(assessReadiness(status, settling.history, 14_999, excepted).verdict.kind, 'waiting');
  t.deepEqual(assessReadiness(status, settling.history, 15_000, excepted).verdict, { kind: 'ready' });
});

test('pure rule: OpenStack ready message, expected unit counts and a single leader are required', (t) => {
  const unit = (message: string, leader: boolean) => ({
    'workload-status': { current: 'active', message },
    'juju-status': { current: 'idle' },
    ...(leader ? { leader: true } : {}),
    machine: '0',
  });
  const status = parseStatus({
    model: { name: 'm' },
    machines: { '0': { 'juju-status': { current: 'started' }, 'dns-name': '10.0.0.2' } },
    applications: {
      keystone: {
        units: { 'keystone/0': unit('Unit is ready', true), 'keystone/1': unit('Unit is ready', true) },
      },
      glance: { units: { 'glance/0': unit('Incomplete relations: identity', false) } },
    },
  });
  const verdict = assessReadiness(status, undefined, 0, {
    settleMs: 0,
    stallMs: 60_000,
    readyMessages: ['Unit is ready'],
    expectedUnits: { keystone: 3, glance: 1 },
  }).verdict;
  t.deepEqual(verdict.kind === 'waiting' && verdict.reasons, [
    'keystone: 2 of 3 units',
    'keystone: 2 leaders',
    'glance/0: active "Incomplete relations: identity"',
    'glance: no leader yet',
  ]);
});

for (const version of ['2.9.46', '3.6.1']) {
  test(`juju ${version}: a simulated deployment becomes ready, polled one call at a time`, async (t) => {
    const lab = await simLab({ ...IN_PROCESS, version, speed: 25 });
    await lab.client.deploy({ model: lab.model, bundlePath: bundle });
    let inFlight = 0;
    let maxInFlight = 0;
    const status = lab.client.status.bind(lab.client);
    lab.client.status = async (model) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await status(model);
      } finally {
        inFlight -= 1;
      }
    };
    const seen: string[] = [];
    const result = await waitForReady(lab.client, lab.model, {
      ...quick,
      stallMs: 60_000,
      readyMessages: ['Unit is ready'],
      expectedUnits: { mysql: 1, wordpress: 2 },
      onProgress: (_digest, _elapsed, verdict) => seen.push(verdict.kind),
    });
    t.is(result.kind, 'ready');
    t.is(maxInFlight, 1);
    t.true(seen.filter((k) => k === 'waiting').length >= 2, 'it watched the units come up');
  });
}

test('fault: a unit stuck in error is named with its hook and its log, on the first poll after it fails', async (t) => {
  const lab = await simLab({
    ...IN_PROCESS,
    faults: { unitErrors: [{ unit: 'wordpress/1', hook: 'install' }] },
  });
  await lab.client.deploy({ model: lab.model, bundlePath: bundle });
  const result = await waitForReady(lab.client, lab.model, quick);
  t.is(result.kind, 'failed');
  if (result.kind !== 'failed') return;
  t.is(result.unit, 'wordpress/1');
  t.is(result.hook, 'install');
  t.is(result.polls, 1);
  t.is(result.message, 'wordpress/1 is in error: hook failed: "install"');
  t.true(result.log.some((line) => line.startsWith('unit-wordpress-1:') && line.includes('hook "install"')));
  t.false(result.log.some((line) => line.startsWith('unit-mysql-0:')));
});

test('fault: an error injected mid-deployment is reported within one poll of appearing', async (t) => {
  const lab = await simLab({
    ...IN_PROCESS,
    speed: 10,
    faults: { unitErrors: [{ unit: 'mysql/0', hook: 'config-changed' }] },
  });
  await lab.client.deploy({ model: lab.model, bundlePath: bundle });
  const errorSeenAt: number[] = [];
  const result = await waitForReady(lab.client, lab.model, {
    ...quick,
    // At this pace whole simulated phases pass without a visible change: no stall verdict here.
    stallMs: 60_000,
    onProgress: (digest) => errorSeenAt.push(digest.applications.mysql!.errors.length),
  });
  t.is(result.kind, 'failed');
  t.true(result.polls > 1, 'the unit ran for a while before failing');
  t.is(errorSeenAt.indexOf(1), result.polls - 1, 'the first poll showing the error ends the wait');
  t.like(result, { unit: 'mysql/0', hook: 'config-changed' });
});

test('fault: a machine that never gets an address stalls with a hint about the LXD bridge', async (t) => {
  const lab = await simLab({ ...IN_PROCESS, faults: { machinesWithoutAddress: ['2'] } });
  await lab.client.deploy({ model: lab.model, bundlePath: bundle });
  const result = await waitForReady(lab.client, lab.model, { ...quick, stallMs: 400 });
  t.is(result.kind, 'stalled');
  if (result.kind !== 'stalled') return;
  t.true(result.reasons.includes('machine 2: pending, running but no address yet'));
  t.true(result.reasons.some((r) => r.startsWith('wordpress/1: waiting "waiting for machine"')));
  t.regex(result.hint, /Machine 2 runs but never got an address: check the LXD bridge and its DHCP/);
});

test('fault: a lost agent fails readiness naming the unit and what to check', async (t) => {
  const lab = await simLab({ ...IN_PROCESS, faults: { lostAgents: ['mysql/0'] } });
  await lab.client.deploy({ model: lab.model, bundlePath: bundle });
  const result = await waitForReady(lab.client, lab.model, quick);
  t.like(result, { kind: 'failed', unit: 'mysql/0' });
  t.regex(
    result.kind === 'failed' ? result.message : '',
    /agent of mysql\/0 is lost: agent is not communicating with the server/,
  );
  t.regex(result.kind === 'failed' ? result.hint : '', /lxc list/);
});

test('fault: a status call failing once is retried and the wait still ends ready', async (t) => {
  const lab = await simLab({
    ...IN_PROCESS,
    faults: { failOnce: [{ command: 'status', message: 'connection is shut down' }] },
  });
  await lab.client.deploy({ model: lab.model, bundlePath: bundle });
  const result = await waitForReady(lab.client, lab.model, quick);
  t.is(result.kind, 'ready');
});

test('fault: a hanging juju call times out and its whole process group is killed', async (t) => {
  const lab = await simLab({ faults: { hang: [{ command: 'status' }] }, timeouts: { status: 5000 } });
  const error = await t.throwsAsync(lab.client.status(lab.model), { instanceOf: TimeoutError });
  t.regex(error.message, /juju status -m lab:openstack --format json` did not finish within 5 s/);
  const pids = await hangPids(lab.dir);
  for (const pid of pids) t.false(await stillRunning(pid), `process ${pid} was left behind`);
});

test('Ctrl-C during a hanging juju call interrupts it and kills its process group', async (t) => {
  const lab = await simLab({ faults: { hang: [{ command: 'status' }] } });
  const controller = new AbortController();
  const client = createJujuClient({ env: lab.env, signal: controller.signal });
  const waiting = waitForReady(client, lab.model, quick);
  const pids = await hangPids(lab.dir);
  controller.abort();
  await t.throwsAsync(waiting, { instanceOf: InterruptedError });
  for (const pid of pids) t.false(await stillRunning(pid), `process ${pid} was left behind`);
});

test('the wait gives up at its timeout with the reasons still blocking', async (t) => {
  const lab = await simLab({ ...IN_PROCESS, speed: 1 });
  await lab.client.deploy({ model: lab.model, bundlePath: bundle });
  const result = await waitForReady(lab.client, lab.model, { ...quick, timeoutMs: 300, stallMs: 60_000 });
  t.is(result.kind, 'timeout');
  t.true(result.kind === 'timeout' && result.reasons.some((r) => r.startsWith('machine 0: pending')));
});

/** Whether a process still runs after a grace period for the kill to land (a zombie awaiting its reaper has exited). */
async function stillRunning(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    await sleep(100);
  }
  return true;
}

/** The pids (simulator and its child) a hanging simulated command recorded, once fully written. */
async function hangPids(dir: string): Promise<number[]> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const file = (await readdir(dir)).find((f) => f.startsWith('hang-'));
    const text = file ? await readFile(join(dir, file), 'utf8') : '';
    if (/^\d+ \d+\n$/.test(text)) return text.trim().split(' ').map(Number);
    await sleep(50);
  }
  throw new Error('the hanging simulator never recorded its pids');
}
