import test from 'ava';
import { readSimState } from '../../src/sim/state.js';
import { cliInProcess as cli, newSimLab } from '../pipeline/sim-lab.js';

// redeploy keeps the controller; scale adds and removes nova-compute units and waits.

test('redeploy tears the model down and deploys it again on the same controller', async (t) => {
  const lab = await newSimLab();
  t.is((await cli(lab, ['deploy', '--simulate'])).exitCode, 0);
  const before = await readSimState(lab.simDir);
  const controllerUuid = before.controllers.lxdstack?.uuid;
  const modelUuid = before.controllers.lxdstack?.models.openstack?.uuid;
  const result = await cli(lab, ['redeploy', '--yes']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /Destroy the controller \[SKIPPED: kept \(--keep-controller\)\]/);
  t.regex(result.stdout, /Controller lxdstack \[SKIPPED: controller lxdstack is up\]/);
  const after = await readSimState(lab.simDir);
  t.is(after.controllers.lxdstack?.uuid, controllerUuid);
  t.truthy(after.controllers.lxdstack?.models.openstack);
  t.not(after.controllers.lxdstack?.models.openstack?.uuid, modelUuid);
  t.is((await cli(lab, ['teardown', '--yes'])).exitCode, 0);
  t.deepEqual(Object.keys((await readSimState(lab.simDir)).controllers), []);
});

test('scale compute=3 adds two nova-compute units and waits; compute=1 removes the newest', async (t) => {
  const lab = await newSimLab();
  t.is((await cli(lab, ['deploy', '--simulate'])).exitCode, 0);
  const units = async () =>
    Object.keys(
      (await readSimState(lab.simDir)).controllers.lxdstack?.models.openstack?.applications['nova-compute']
        ?.units ?? {},
    ).sort();
  const up = await cli(lab, ['scale', 'compute=3']);
  t.is(up.exitCode, 0, up.stderr);
  t.regex(up.stdout, /Scale nova-compute to 3 units: added 2/);
  t.regex(up.stdout, /nova-compute has 3 units and the model is ready\./);
  t.deepEqual(await units(), ['nova-compute/0', 'nova-compute/1', 'nova-compute/2']);
  const down = await cli(lab, ['scale', 'compute=1']);
  t.is(down.exitCode, 0, down.stderr);
  t.regex(down.stdout, /removed nova-compute\/2, nova-compute\/1/);
  t.deepEqual(await units(), ['nova-compute/0']);
  const bad = await cli(lab, ['scale', 'compute=zero']);
  t.is(bad.exitCode, 2);
  t.regex(bad.stderr, /use compute=N with N from 1 to 64/);
  t.is((await cli(lab, ['teardown', '--yes'])).exitCode, 0);
});
