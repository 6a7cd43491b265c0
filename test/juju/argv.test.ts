import test from 'ava';
import { flavourOf, jujuArgv, unsupportedJujuReason } from '../../src/juju/argv.js';
import { describeJujuCommand } from '../../src/juju/client.js';

test('the version text decides the flavour', (t) => {
  t.is(flavourOf('2.9.46-ubuntu-amd64'), '2.9');
  t.is(flavourOf('3.6.11-genericlinux-amd64\n'), '3');
  t.is(flavourOf('4.0.0-genericlinux-amd64'), undefined);
  t.is(flavourOf('juju: command not found'), undefined);
});

test('2.9 and 3.x differ exactly where juju-spec.md says they do', (t) => {
  const destroy = { model: 'lab:openstack', force: true, noWait: true, timeoutSeconds: 600 };
  t.deepEqual(jujuArgv('3', 'destroyModel', destroy), [
    'destroy-model',
    'lab:openstack',
    '--no-prompt',
    '--force',
    '--no-wait',
    '--timeout',
    '600s',
  ]);
  t.deepEqual(jujuArgv('2.9', 'destroyModel', destroy), [
    'destroy-model',
    'lab:openstack',
    '-y',
    '--force',
    '--no-wait',
    '--timeout',
    '600s',
  ]);
  // --no-wait and --timeout are only valid with --force.
  t.deepEqual(jujuArgv('3', 'destroyModel', { model: 'm', noWait: true, timeoutSeconds: 5 }), [
    'destroy-model',
    'm',
    '--no-prompt',
  ]);

  const action = { model: 'm', unit: 'keystone/leader', action: 'get-admin-password' };
  t.deepEqual(jujuArgv('3', 'runAction', action).slice(0, 5), [
    'run',
    '-m',
    'm',
    'keystone/leader',
    'get-admin-password',
  ]);
  t.deepEqual(jujuArgv('2.9', 'runAction', action).slice(0, 5), [
    'run-action',
    '-m',
    'm',
    'keystone/leader',
    'get-admin-password',
  ]);
  t.true(jujuArgv('2.9', 'runAction', action).includes('--wait=300s'));

  const exec = { model: 'm', units: ['nova-compute/0'], command: ['hostname', '-f'] };
  t.is(jujuArgv('3', 'exec', exec)[0], 'exec');
  t.is(jujuArgv('2.9', 'exec', exec)[0], 'run');
  t.deepEqual(jujuArgv('2.9', 'exec', exec).slice(-3), ['--', 'hostname', '-f']);

  const bootstrap = {
    cloud: 'localhost',
    controller: 'lab',
    series: 'jammy',
    configFile: '/private/config.yaml',
  };
  t.deepEqual(jujuArgv('3', 'bootstrap', bootstrap), [
    'bootstrap',
    'localhost',
    'lab',
    '--bootstrap-base',
    'ubuntu@22.04',
    '--config',
    '/private/config.yaml',
  ]);
  t.deepEqual(jujuArgv('2.9', 'bootstrap', bootstrap), [
    'bootstrap',
    'localhost',
    'lab',
    '--no-default-model',
    '--bootstrap-series',
    'jammy',
    '--config',
    '/private/config.yaml',
  ]);
  t.deepEqual(jujuArgv('3', 'removeUnit', { model: 'm', units: ['a/1'] }), [
    'remove-unit',
    '-m',
    'm',
    'a/1',
    '--no-prompt',
  ]);
  t.deepEqual(jujuArgv('2.9', 'removeUnit', { model: 'm', units: ['a/1'] }), [
    'remove-unit',
    '-m',
    'm',
    'a/1',
  ]);
});

test('a command is described exactly as it would run, quoted for a shell reader', (t) => {
  t.is(
    describeJujuCommand('3', 'deploy', {
      model: 'lab:openstack',
      bundlePath: '/tmp/my lab/bundle.yaml',
      overlays: ['o1.yaml'],
    }),
    "juju deploy -m lab:openstack '/tmp/my lab/bundle.yaml' --overlay o1.yaml",
  );
  t.is(
    describeJujuCommand('2.9', 'status', { model: 'lab:openstack' }, '/snap/bin/juju'),
    '/snap/bin/juju status -m lab:openstack --format json',
  );
});

test('exec on several units passes one comma-separated --unit (a repeated --unit keeps only the last)', (t) => {
  const exec = { model: 'm', units: ['vault/0', 'vault/1'], command: ['true'] };
  for (const flavour of ['2.9', '3'] as const) {
    const argv = jujuArgv(flavour, 'exec', exec);
    t.is(argv.filter((a) => a === '--unit').length, 1);
    t.is(argv[argv.indexOf('--unit') + 1], 'vault/0,vault/1');
  }
});

test('an action takes its secret parameters from a --params file, never as key=value', (t) => {
  const argv = jujuArgv('3', 'runAction', {
    model: 'm',
    unit: 'vault/leader',
    action: 'authorize-charm',
    paramsFile: '/home/u/lxdstack-staging/lab/params.yaml',
  });
  t.deepEqual(argv.slice(0, 7), [
    'run',
    '-m',
    'm',
    'vault/leader',
    'authorize-charm',
    '--params',
    '/home/u/lxdstack-staging/lab/params.yaml',
  ]);
});

test('Juju 4 is refused with the reason and the 3.6 channel; 2.9 and 3.x are not', (t) => {
  t.regex(unsupportedJujuReason('4.0.0-genericlinux-amd64') ?? '', /leader-set.*3\.6 is the supported line/);
  t.regex(
    unsupportedJujuReason('4.0.0-genericlinux-amd64') ?? '',
    /snap install juju --channel 3\.6\/stable/,
  );
  t.is(unsupportedJujuReason('3.6.11-genericlinux-amd64'), undefined);
  t.is(unsupportedJujuReason('2.9.46-ubuntu-amd64'), undefined);
});
