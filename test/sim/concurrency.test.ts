import test from 'ava';
import { join } from 'node:path';
import { readSimState } from '../../src/sim/state.js';
import { FIXTURES, simLab } from '../juju/sim-lab.js';

test("concurrent juju processes never lose each other's changes to the simulator state", async (t) => {
  const lab = await simLab();
  await lab.client.deploy({ model: lab.model, bundlePath: join(FIXTURES, 'two-apps.yaml') });
  await Promise.all(
    Array.from({ length: 8 }, () => lab.client.addUnit({ model: lab.model, application: 'wordpress' })),
  );
  const state = await readSimState(lab.dir);
  const model = state.controllers.lab!.models.openstack!;
  t.is(Object.keys(model.applications.wordpress!.units).length, 10);
  t.is(Object.keys(model.machines).length, 12);
  t.is(new Set(state.lxd.containers).size, state.lxd.containers.length);
});
