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

  test(`juju ${version}: actions, commands and units through the flavour's own subcommands`, async (t) => {
    const lab = await simLab({ version });
    await lab.client.deploy({ model: lab.model, bundlePath: join(FIXTURES, 'two-apps.yaml') });
    const action = (await lab.client.runAction({
      model: lab.model,
      unit: 'mysql/leader',
      action: 'backup',
    })) as Record<string, { status: string }>;
    // 2.9's run-action --wait keys its document by the unit's tag (unit-mysql-0), 3.x's run by its name
    t.is(action[version.startsWith('2.') ? 'unit-mysql-0' : 'mysql/0']!.status, 'completed');
    const exec = (await lab.client.exec({
      model: lab.model,
      units: ['wordpress/1'],
      command: ['hostname'],
    })) as Record<string, { results: { stdout: string } }>;
    t.is(exec['wordpress/1']!.results.stdout, 'simulated: hostname\n');
    t.regex(
      await lab.client.describe('runAction', { model: lab.model, unit: 'mysql/0', action: 'backup' }),
      version.startsWith('2.') ? / run-action / : / run /,
    );
    await lab.client.addUnit({ model: lab.model, application: 'mysql', count: 2 });
    await lab.client.removeUnit({ model: lab.model, units: ['mysql/1'] });
    const status = await lab.client.status(lab.model);
    t.deepEqual(status.applications.mysql!.units, ['mysql/0', 'mysql/2']);
    const log = await lab.client.debugLog({ model: lab.model, include: ['mysql/0'], lines: 3 });
    t.true(log.length > 0 && log.length <= 3 && log.every((line) => line.startsWith('unit-mysql-0: ')));
    t.regex(await lab.client.exportBundle(lab.model), /mysql:\n {4}charm: mysql/);
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
