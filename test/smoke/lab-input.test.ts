import test from 'ava';
import { defaultSpec } from '../../src/lab/defaults.js';
import { credentialSource, labSuiteInput } from '../../src/smoke/lab-input.js';
import { InputError } from '../../src/util/errors.js';

// The one function deploy's verify step and `lxdstack verify` build their suite with.

const lxcLab = { ...defaultSpec('modern'), compute: { virtType: 'lxc' as const } };

test('a lab gives the suite its names, its hypervisor type and whether ping can be tried from here', (t) => {
  const input = labSuiteInput({
    suite: 'full',
    spec: lxcLab,
    simulated: false,
    hostAddresses: ['10.99.0.1'],
  });
  t.like(input, {
    suite: 'full',
    hypervisorType: 'lxc',
    imageName: 'noble-lxc',
    flavorName: 'm1.tiny',
    keypairName: 'ubuntu-keypair',
    externalNetworkName: 'ext-net',
    floatingNetworkReachable: true,
  });
  t.is(
    labSuiteInput({ suite: 'full', spec: defaultSpec('modern'), simulated: false, hostAddresses: [] })
      .hypervisorType,
    'qemu',
  );
  t.is(
    labSuiteInput({ suite: 'full', spec: defaultSpec('tutorial-2016'), simulated: false, hostAddresses: [] })
      .imageName,
    'xenial-lxd',
  );
});

test('a simulated lab expects no hypervisor type; flags win over the lab; --instances is checked', (t) => {
  const simulated = labSuiteInput({ suite: 'compute', spec: lxcLab, simulated: true, hostAddresses: [] });
  t.is(simulated.hypervisorType, undefined);
  const flagged = labSuiteInput({
    suite: 'compute',
    spec: lxcLab,
    simulated: false,
    hostAddresses: [],
    instances: 10,
    imageName: 'other',
    flavorName: 'tiny',
  });
  t.like(flagged, { instanceCount: 10, imageName: 'other', flavorName: 'tiny' });
  for (const instances of [0, 51, Number.NaN, 2.5])
    t.throws(() => labSuiteInput({ suite: 'compute', simulated: false, hostAddresses: [], instances }), {
      instanceOf: InputError,
      message: /--instances: use a whole number from 1 to 50/,
    });
});

test('credentials: --os-cloud, else a sourced novarc, else the lab’s own; a simulation has none of its own', (t) => {
  const env = { OS_AUTH_URL: 'http://x/v3' };
  t.deepEqual(credentialSource({ osCloud: 'c', env, simulated: false }), { kind: 'os-cloud', name: 'c' });
  t.deepEqual(credentialSource({ env, simulated: true }), { kind: 'environment' });
  t.deepEqual(credentialSource({ env: {}, simulated: false }), { kind: 'lab' });
  t.is(credentialSource({ env: {}, simulated: true }).kind, 'none');
});
