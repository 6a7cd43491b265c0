import test from 'ava';
import { bundleApplicationNames, unitlessApplications } from '../../src/pipeline/render.js';
import { parseScaleAssignment, unitsToRemove } from '../../src/pipeline/scale.js';
import { deploySummary, teardownSummary } from '../../src/pipeline/summary.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { InputError } from '../../src/util/errors.js';

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

test("the deploy summary says vault's auto unlock is lab only, and where a manual unlock's keys are", (t) => {
  const summary = (unlock: 'auto' | 'manual') => {
    const spec = defaultSpec('modern');
    spec.vault.unlock = unlock;
    return deploySummary({
      spec,
      simulated: false,
      cwd: '/lab',
      credentialsPath: '/lab/.lxdstack/openstack-lab/admin-password',
      results: [],
      commandSuffix: '',
    });
  };
  t.true(
    summary('auto').some((l) =>
      /^Vault: .*vault\.unlock: auto.*lab-only setting, never for production/.test(l),
    ),
  );
  t.true(
    summary('manual').includes(
      'Vault:        unsealed by deploy; keys and root token in .lxdstack/openstack-lab/vault-keys.json (mode 0600)',
    ),
  );
  t.false(
    deploySummary({
      spec: defaultSpec('tutorial-2016'),
      simulated: false,
      cwd: '/lab',
      credentialsPath: '/lab/x/admin-password',
      results: [],
      commandSuffix: '',
    }).some((l) => l.startsWith('Vault:')),
  );
});
