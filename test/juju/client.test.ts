import test from 'ava';
import { join } from 'node:path';
import { JujuError } from '../../src/juju/errors.js';
import { readSimState } from '../../src/sim/state.js';
import { FIXTURES, simLab } from './sim-lab.js';

for (const version of ['2.9.46', '3.6.1']) {
  test(`juju ${version}: deploy creates the bundle's applications, units, machines; destroy-model removes them`, async (t) => {
    const lab = await simLab({ version });
    const before = await readSimState(lab.dir);
    t.true(before.lxd.profiles.includes('juju-openstack'));
    const detected = await lab.client.version();
    t.is(detected.flavour, version.startsWith('2.') ? '2.9' : '3');

    const result = await lab.client.deploy({ model: lab.model, bundlePath: join(FIXTURES, 'two-apps.yaml') });
    t.true(result.changes.includes('add relation wordpress:db - mysql:db'));
    t.true(result.changes.includes('add unit mysql/0 to 0/lxd/0'));

    const status = await lab.client.status(lab.model);
    t.deepEqual(Object.keys(status.applications).sort(), ['mysql', 'nrpe', 'wordpress']);
    t.deepEqual(status.applications.wordpress!.units, ['wordpress/0', 'wordpress/1']);
    t.deepEqual(status.applications.nrpe!.units, ['nrpe/0', 'nrpe/1']);
    t.true(status.applications.nrpe!.subordinate);
    t.is(status.units['nrpe/0']!.principal, 'wordpress/0');
    t.deepEqual(Object.keys(status.machines).sort(), ['0', '0/lxd/0', '1', '2']);
    t.is(status.machines['0/lxd/0']!.parent, '0');
    t.is(status.units['mysql/0']!.workload.message, 'Unit is ready');

    const deployed = await readSimState(lab.dir);
    t.is(
      deployed.lxd.containers.length - before.lxd.containers.length,
      4,
      'machines 0, 0/lxd/0, 1 and 2 are containers',
    );

    await lab.client.destroyModel({ model: lab.model });
    const after = await readSimState(lab.dir);
    t.false(after.lxd.profiles.includes('juju-openstack'));
    t.deepEqual(after.lxd.containers, before.lxd.containers);
    const models = await lab.client.models('lab');
    t.deepEqual(
      models.models.map((m) => m.shortName),
      ['controller'],
    );
  });

  test(`juju ${version}: failures become JujuError with juju's exit code, ERROR line and a next step`, async (t) => {
    const lab = await simLab({ version });
    const duplicate = await t.throwsAsync(lab.client.addModel({ controller: 'lab', model: 'openstack' }), {
      instanceOf: JujuError,
    });
    t.is(duplicate.jujuExitCode, 1);
    t.is(duplicate.errorLine, 'failed to create new model: model "openstack" for admin already exists');
    t.regex(duplicate.message, /Pick another name/);
    const badName = await t.throwsAsync(lab.client.addModel({ controller: 'lab', model: 'Bad_Name' }), {
      instanceOf: JujuError,
    });
    t.is(badName.jujuExitCode, 2);
    t.regex(
      badName.errorLine,
      /is not a valid name: model names may only contain lowercase letters, digits and hyphens/,
    );
    const missing = await t.throwsAsync(lab.client.status('lab:nope'), { instanceOf: JujuError });
    t.is(missing.errorLine, 'model lab:admin/nope not found');
  });
}

test('config values are set through a private file, never through argv', async (t) => {
  const lab = await simLab();
  await lab.client.deploy({ model: lab.model, bundlePath: join(FIXTURES, 'two-apps.yaml') });
  const secret = 'a: b # c "quoted" $(reboot)';
  await lab.client.setConfig({ model: lab.model, application: 'mysql', values: { 'root-password': secret } });
  const config = (await lab.client.config({ model: lab.model, application: 'mysql' })) as {
    settings: Record<string, { value: unknown }>;
  };
  t.is(config.settings['root-password']!.value, secret, 'the value round-trips exactly');
  t.is(
    await lab.client.describe('config', {
      model: lab.model,
      application: 'mysql',
      settingsFile: '/tmp/x/settings.yaml',
    }),
    `${lab.env.LXDSTACK_JUJU} config -m lab:openstack mysql --file /tmp/x/settings.yaml`,
  );
});
