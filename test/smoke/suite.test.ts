import test from 'ava';
import { SUITE_CHECKS, runSmokeSuite } from '../../src/smoke/suite.js';
import { InputError } from '../../src/util/errors.js';

test('a simulation with no endpoint skips every API check, saying so, and keeps the Juju checks it was given', async (t) => {
  const report = await runSmokeSuite({
    suite: 'full',
    simulated: true,
    computeCount: 1,
    jujuChecks: [
      { name: 'juju-units-active', ok: true, detail: '12 units active/idle' },
      { name: 'juju-machines-started', ok: false, detail: 'machine 3 is pending' },
    ],
  });
  t.deepEqual(
    report.checks.map((c) => c.name),
    ['juju-units-active', 'juju-machines-started', ...SUITE_CHECKS.full],
  );
  t.like(report.checks[0], { outcome: 'pass', group: 'juju', detail: '12 units active/idle' });
  t.like(report.checks[1], { outcome: 'fail', cause: 'machine 3 is pending' });
  for (const check of report.checks.slice(2)) {
    t.is(check.outcome, 'skip');
    t.regex(check.detail ?? '', /^SIMULATION: there is no OpenStack endpoint/);
  }
  t.deepEqual(report.summary, { pass: 1, fail: 1, skip: SUITE_CHECKS.full.length });
  t.false(report.ok);
  t.true(report.simulated);
});

test('without a client a real run is refused', async (t) => {
  await t.throwsAsync(runSmokeSuite({ suite: 'quick', computeCount: 1 }), { instanceOf: InputError });
});
