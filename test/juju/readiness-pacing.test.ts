import test from 'ava';
import type { JujuClient } from '../../src/juju/client.js';
import { assessReadiness, waitForReady } from '../../src/juju/readiness.js';
import { parseStatus, type JujuStatus } from '../../src/juju/status.js';

const pendingMachine = (instance: 'pending' | 'running'): JujuStatus =>
  parseStatus({
    model: { name: 'm' },
    machines: { '0': { 'juju-status': { current: 'pending' }, 'machine-status': { current: instance } } },
    applications: {
      a: {
        units: {
          'a/0': {
            'workload-status': { current: 'waiting', message: 'waiting for machine' },
            'juju-status': { current: 'allocating' },
            machine: '0',
          },
        },
      },
    },
  });

test('polling quickens while things change and slows while quiet; never two calls at once', async (t) => {
  let now = 0;
  const sleeps: number[] = [];
  let inFlight = 0;
  let call = 0;
  // Statuses change on calls 1-3, then stay put until the stall period ends the wait.
  const unitMessages = ['waiting for machine', 'agent initialising', 'installing charm software'];
  const client = {
    status: async () => {
      inFlight += 1;
      if (inFlight > 1) throw new Error('two status calls at once');
      call += 1;
      const message = unitMessages[Math.min(call - 1, unitMessages.length - 1)];
      await Promise.resolve();
      inFlight -= 1;
      return parseStatus({
        model: { name: 'm' },
        machines: {},
        applications: {
          a: {
            units: {
              'a/0': {
                'workload-status': { current: 'maintenance', message },
                'juju-status': { current: 'executing' },
              },
            },
          },
        },
      });
    },
  } as unknown as JujuClient;
  const result = await waitForReady(client, 'm', {
    timeoutMs: 1_000_000,
    settleMs: 0,
    stallMs: 60_000,
    poll: { minMs: 1_000, maxMs: 8_000 },
    clock: { now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) },
  });
  t.is(result.kind, 'stalled');
  t.deepEqual(sleeps.slice(0, 3), [1_000, 1_000, 1_000], 'fast while the unit moves');
  t.deepEqual(sleeps.slice(3, 8), [1_500, 2_250, 3_375, 5_063, 7_595], 'slower while nothing changes');
  t.true(
    sleeps.slice(8).every((ms) => ms === 8_000),
    'capped at the slowest pace',
  );
});

test('stall hints tell a container never created from one that got no address', (t) => {
  const rules = { settleMs: 0, stallMs: 1_000 };
  const never = assessReadiness(pendingMachine('pending'), { fingerprint: '', changedAt: 0 }, 0, rules);
  const stalledNever = assessReadiness(pendingMachine('pending'), never.history, 5_000, rules).verdict;
  t.regex(
    stalledNever.kind === 'stalled' ? stalledNever.hint : '',
    /Machine 0 was never created: check `lxc list`, the storage pool/,
  );
  const noIp = assessReadiness(pendingMachine('running'), undefined, 0, rules);
  const stalledNoIp = assessReadiness(pendingMachine('running'), noIp.history, 5_000, rules).verdict;
  t.regex(stalledNoIp.kind === 'stalled' ? stalledNoIp.hint : '', /Machine 0 runs but never got an address/);
  t.deepEqual(stalledNoIp.kind === 'stalled' && stalledNoIp.reasons, [
    'machine 0: pending, running but no address yet',
    'a/0: waiting "waiting for machine" (agent allocating)',
    'a: no leader yet',
  ]);
});
