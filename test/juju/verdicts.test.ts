import test from 'ava';
import type { StatusDigest } from '../../src/juju/status.js';
import { jujuChecksOf, progressOf, throwUnlessReady } from '../../src/juju/verdicts.js';
import { JobError } from '../../src/util/errors.js';

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
