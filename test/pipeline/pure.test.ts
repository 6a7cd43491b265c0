import test from 'ava';
import { jujuChecksOf, progressOf, throwUnlessReady } from '../../src/pipeline/juju-adapter.js';
import { bundleApplicationNames, unitlessApplications } from '../../src/pipeline/render.js';
import { parseScaleAssignment, unitsToRemove } from '../../src/pipeline/scale.js';
import { deploySummary, teardownSummary } from '../../src/pipeline/summary.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import type { StatusDigest } from '../../src/juju/status.js';
import { InputError, JobError } from '../../src/util/errors.js';

const bundle = {
  applications: {
    keystone: { charm: 'cs:xenial/keystone', num_units: 1 },
    ntp: { charm: 'cs:xenial/ntp' },
    'nova-compute': { charm: 'cs:xenial/nova-compute', num_units: 2 },
  },
};

test('the applications of a bundle, and those it gives no units (the 2016 spell leaves ntp unrelated)', (t) => {
  t.deepEqual(bundleApplicationNames(bundle), ['keystone', 'nova-compute', 'ntp']);
  t.deepEqual(unitlessApplications(bundle), ['ntp']);
  t.deepEqual(bundleApplicationNames({ services: { mysql: {} } }), ['mysql']);
  t.deepEqual(unitlessApplications('not a bundle'), []);
});

const digest: StatusDigest = {
  model: 'openstack',
  applications: {
    keystone: {
      charm: 'keystone',
      units: 1,
      ready: 1,
      errors: [],
      status: 'active',
      message: 'Unit is ready',
      leaders: 1,
      subordinate: false,
    },
    glance: {
      charm: 'glance',
      units: 1,
      ready: 0,
      errors: ['glance/0'],
      status: 'error',
      message: 'hook failed: "install"',
      leaders: 1,
      subordinate: false,
    },
    ntp: {
      charm: 'ntp',
      units: 0,
      ready: 0,
      errors: [],
      status: 'unknown',
      message: '',
      leaders: 0,
      subordinate: false,
    },
  },
  machines: { '0': { state: 'started' }, '1': { state: 'pending' } },
  units: { total: 2, ready: 1, errors: 1 },
};

test('juju-level smoke checks name what is not ready, in error or not started, and ignore unit-less applications', (t) => {
  const checks = jujuChecksOf(digest, ['ntp']);
  t.deepEqual(
    checks.map((c) => [c.name, c.ok, c.detail]),
    [
      ['juju: every application active and idle', false, 'not ready: glance 0/1'],
      ['juju: no unit in error', false, 'glance/0'],
      ['juju: every machine started', false, '1 pending'],
      ['juju: one leader per application', true, 'ok'],
    ],
  );
  t.true(jujuChecksOf(digest, [])[0]!.detail.includes('ntp 0/0'));
});

test('progress lists applications with units ready/wanted and the error or message', (t) => {
  const progress = progressOf(digest, 4200);
  t.is(progress.elapsedMs, 4200);
  t.deepEqual(
    progress.applications.map((a) => `${a.application} ${a.ready}/${a.wanted} ${a.message}`),
    ['glance 0/1 error on glance/0', 'keystone 1/1 Unit is ready', 'ntp 0/0 '],
  );
});

test('a readiness wait that does not end ready becomes a JobError naming the unit, hook and log', (t) => {
  t.notThrows(() => throwUnlessReady({ kind: 'ready', elapsedMs: 1, polls: 1, digest }));
  const failed = t.throws(() =>
    throwUnlessReady({
      kind: 'failed',
      elapsedMs: 1,
      polls: 1,
      digest,
      unit: 'glance/0',
      hook: 'install',
      message: 'glance/0 is in error',
      hint: 'Fix it.',
      log: ['line 1', 'line 2'],
    }),
  );
  t.true(failed instanceof JobError);
  t.is(failed!.message, 'unit glance/0 failed: glance/0 is in error (hook install); Fix it.');
  t.deepEqual((failed as JobError).details, ['last lines of its debug-log:', 'line 1', 'line 2']);
  const timeout = t.throws(() =>
    throwUnlessReady({ kind: 'timeout', elapsedMs: 150_000, polls: 9, reasons: ['glance: 0 of 1 units'] }),
  );
  t.is(timeout!.message, 'the model was not ready after 2.5 min');
});

test('scale assignments: compute=N from 1 to 64; scaling down removes the newest units', (t) => {
  t.deepEqual(parseScaleAssignment('compute=3'), { application: 'nova-compute', units: 3 });
  for (const bad of ['compute=0', 'compute=65', 'nova=2', 'compute=2.5', 'compute=']) {
    t.true(t.throws(() => parseScaleAssignment(bad)) instanceof InputError, bad);
  }
  t.deepEqual(unitsToRemove(['nova-compute/0', 'nova-compute/10', 'nova-compute/2'], 1), [
    'nova-compute/10',
    'nova-compute/2',
  ]);
  t.deepEqual(unitsToRemove(['nova-compute/0'], 3), []);
});

test('summaries state SIMULATION, the dashboard, credentials, next commands and any leftovers', (t) => {
  const lines = deploySummary({
    spec: defaultSpec('tutorial-2016'),
    simulated: true,
    cwd: '/lab',
    credentialsPath: '/lab/.lxdstack/openstack-lab/admin-password',
    dashboardAddress: '10.0.0.5',
    results: [],
    commandSuffix: '--simulate',
  });
  t.regex(lines[0]!, /^SIMULATION: /);
  t.true(lines.includes('Dashboard:    http://10.0.0.5/horizon  (simulated address: nothing answers there)'));
  t.true(lines.some((l) => l.includes('.lxdstack/openstack-lab/admin-password (mode 0600)')));
  t.true(lines.some((l) => l.startsWith('  lxdstack teardown --simulate')));
  t.deepEqual(teardownSummary({ simulated: false, leftovers: ['LXD profile juju-openstack'] }), [
    'Teardown finished, but 1 thing remains; remove it by hand:',
    '  - LXD profile juju-openstack',
  ]);
});
