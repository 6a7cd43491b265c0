import test from 'ava';
import { pendingBundleChanges } from '../../src/juju/bundle-diff.js';
import { assessReadiness } from '../../src/juju/readiness.js';
import { parseStatus } from '../../src/juju/status.js';

// Deploy's postcondition reads juju diff-bundle; readiness requires every application the bundle names,
// with its units.

test('a model that matches the bundle has nothing pending', (t) => {
  t.deepEqual(pendingBundleChanges('{}\n'), []);
});

test('missing applications, units and relations are pending; extras in the model are not', (t) => {
  const diff = [
    'applications:',
    '  glance:',
    '    missing: model',
    '  nova-compute:',
    '    num_units:',
    '      bundle: 1',
    '      model: 0',
    '  ceph-osd:',
    '    num_units:',
    '      bundle: 1',
    '      model: 3',
    '  by-hand:',
    '    missing: bundle',
    'relations:',
    '  bundle-additions:',
    '  - - nova-compute:amqp',
    '    - rabbitmq-server:amqp',
    '  model-additions:',
    '  - - by-hand:a',
    '    - keystone:b',
    '',
  ].join('\n');
  t.deepEqual(pendingBundleChanges(diff), [
    'application glance is not in the model',
    'nova-compute has 0 of 1 unit',
    'relation nova-compute:amqp - rabbitmq-server:amqp is missing',
  ]);
});

test('readiness waits for an application of the bundle that the model does not have, or has no unit of', (t) => {
  const status = parseStatus({
    model: { name: 'm' },
    machines: { '0': { 'juju-status': { current: 'started' }, 'dns-name': '10.0.0.2' } },
    applications: {
      keystone: {
        units: {
          'keystone/0': {
            'workload-status': { current: 'active', message: 'Unit is ready' },
            'juju-status': { current: 'idle' },
            leader: true,
            machine: '0',
          },
        },
      },
      'nova-compute': { units: {} },
    },
  });
  const verdict = assessReadiness(status, undefined, 0, {
    settleMs: 0,
    stallMs: 60_000,
    expectedUnits: { keystone: 1, 'nova-compute': 1, glance: 1, ntp: 0 },
  }).verdict;
  t.deepEqual(verdict.kind === 'waiting' && verdict.reasons, [
    'glance: not in the model (0 of 1 unit)',
    'nova-compute: 0 of 1 unit',
  ]);
});
