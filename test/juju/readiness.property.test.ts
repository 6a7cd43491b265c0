import test from 'ava';
import fc from 'fast-check';
import type { JujuClient } from '../../src/juju/client.js';
import { waitForReady, type ReadinessClock } from '../../src/juju/readiness.js';
import { parseStatus } from '../../src/juju/status.js';

// Any sequence of statuses (after which the model stays as it last was) ends the wait in ready, failed
// with a named unit or machine, or stalled: never a hang, never a timeout while the time budget is huge.

const unitArb = fc.record({
  workload: fc.constantFrom('active', 'waiting', 'maintenance', 'blocked', 'error', 'unknown'),
  message: fc.constantFrom('Unit is ready', 'hook failed: "install"', 'installing charm software', ''),
  agent: fc.constantFrom('idle', 'idle', 'executing', 'allocating', 'lost'),
  leader: fc.boolean(),
});
const machineArb = fc.constantFrom('started', 'started', 'pending', 'down');
const statusArb = fc.record({
  machines: fc.array(machineArb, { minLength: 1, maxLength: 3 }),
  apps: fc.array(fc.array(unitArb, { minLength: 0, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
});
type StatusShape = typeof statusArb extends fc.Arbitrary<infer T> ? T : never;

function toJson(shape: StatusShape): unknown {
  return {
    model: { name: 'm' },
    machines: Object.fromEntries(
      shape.machines.map((agent, id) => [
        String(id),
        {
          'juju-status': { current: agent },
          ...(agent === 'started' ? { 'dns-name': `10.0.0.${id + 2}` } : {}),
        },
      ]),
    ),
    applications: Object.fromEntries(
      shape.apps.map((units, a) => [
        `app${a}`,
        {
          units: Object.fromEntries(
            units.map((u, i) => [
              `app${a}/${i}`,
              {
                'workload-status': { current: u.workload, message: u.message },
                'juju-status': { current: u.agent },
                ...(u.leader ? { leader: true } : {}),
                machine: String(i % shape.machines.length),
              },
            ]),
          ),
        },
      ]),
    ),
  };
}

test('property: every sequence of states ends ready, failed with a named unit or machine, or stalled', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(statusArb, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 0, max: 5_000 }),
      fc.integer({ min: 1_000, max: 20_000 }),
      async (sequence, settleMs, stallMs) => {
        let now = 0;
        let calls = 0;
        const minMs = 100;
        // Worst case: the whole sequence, then a full stall (or settle) period at the fastest pace.
        const bound = sequence.length + Math.ceil((settleMs + stallMs) / minMs) + 5;
        const clock: ReadinessClock = {
          now: () => now,
          sleep: async (ms) => {
            now += ms;
          },
        };
        const client = {
          status: async () => {
            calls += 1;
            if (calls > bound) throw new Error(`still polling after ${bound} calls`);
            return parseStatus(toJson(sequence[Math.min(calls - 1, sequence.length - 1)]!));
          },
          debugLog: async () => ['log line'],
        } as unknown as JujuClient;
        const result = await waitForReady(client, 'm', {
          timeoutMs: Number.MAX_SAFE_INTEGER,
          settleMs,
          stallMs,
          poll: { minMs, maxMs: 2_000 },
          clock,
        });
        const last = sequence[Math.min(calls - 1, sequence.length - 1)]!;
        if (result.kind === 'failed') {
          if (result.unit === undefined && result.machine === undefined) return false;
          if (result.unit) {
            const [app, index] = result.unit.replace('app', '').split('/').map(Number);
            const unit = last.apps[app!]![index!]!;
            return unit.workload === 'error' || unit.agent === 'lost';
          }
          return last.machines[Number(result.machine)] === 'down';
        }
        if (result.kind === 'ready') {
          return (
            last.machines.every((m) => m === 'started') &&
            last.apps.every(
              (units) =>
                (units.length === 0 || units.filter((u) => u.leader).length === 1) &&
                units.every((u) => u.workload === 'active' && u.agent === 'idle'),
            )
          );
        }
        return result.kind === 'stalled' && result.reasons.length > 0 && result.hint.length > 0;
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});
