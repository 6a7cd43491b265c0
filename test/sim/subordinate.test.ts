import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSimState } from '../../src/sim/state.js';
import { simulatorRunner } from '../helpers/sim-runner.js';
import { simLab } from '../juju/sim-lab.js';

// Whether an application is a subordinate comes from its charm's metadata (the catalogue), as in Juju,
// not from its deployment having no units: a principal charm deployed with num_units: 0 can still be
// scaled up. A charm the catalogue does not know keeps the simulator's rule of thumb.

const BUNDLE = `series: jammy
applications:
  keystone:
    charm: keystone
    channel: 2024.1/stable
    num_units: 0
  ntp:
    charm: ntp
  nrpe:
    charm: nrpe
`;

test('a principal charm deployed without units is no subordinate: add-unit works; catalogued and unknown unit-less charms stay subordinate', async (t) => {
  const lab = await simLab({ runner: simulatorRunner });
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-subordinate-'));
  await writeFile(join(dir, 'bundle.yaml'), BUNDLE);
  await lab.client.deploy({ model: lab.model, bundlePath: join(dir, 'bundle.yaml') });
  const model = (await readSimState(lab.dir)).controllers.lab!.models.openstack!;
  t.deepEqual(Object.fromEntries(Object.values(model.applications).map((a) => [a.name, a.subordinate])), {
    keystone: false,
    nrpe: true,
    ntp: true,
  });

  await lab.client.addUnit({ model: lab.model, application: 'keystone' });
  const after = (await readSimState(lab.dir)).controllers.lab!.models.openstack!;
  t.deepEqual(Object.keys(after.applications.keystone!.units), ['keystone/0']);
  const error = await t.throwsAsync(lab.client.addUnit({ model: lab.model, application: 'ntp' }));
  t.regex(error!.message, /cannot add unit to application "ntp": application is subordinate/);
});
