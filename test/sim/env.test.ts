import test from 'ava';
import { access, constants } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { simulatorBinDir, simulatorEnv } from '../../src/sim/env.js';

test('simulatorEnv puts the built launchers first on PATH and names juju, conjure-up and the state folder', async (t) => {
  const env = simulatorEnv('/labs/x/.lxdstack/lab/sim', { PATH: '/usr/bin:/bin', HOME: '/root' });
  t.is(env.PATH, `${simulatorBinDir()}${delimiter}/usr/bin:/bin`);
  t.is(env.LXDSTACK_SIM_DIR, '/labs/x/.lxdstack/lab/sim');
  t.is(env.HOME, '/root');
  t.true(simulatorBinDir().endsWith('/dist/sim-bin'));
  await t.notThrowsAsync(access(env.LXDSTACK_JUJU!, constants.X_OK), 'run `npm run build` first');
  await t.notThrowsAsync(access(env.LXDSTACK_CONJURE_UP!, constants.X_OK));
});
