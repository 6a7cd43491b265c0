import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConjureEngine, parseConjureLine, type ConjureProgress } from '../../src/conjure/engine.js';
import { createJujuClient } from '../../src/juju/client.js';
import { simulatorEnv } from '../../src/sim/env.js';
import { readSimState } from '../../src/sim/state.js';
import { JobError } from '../../src/util/errors.js';
import { FIXTURES } from '../juju/sim-lab.js';

test('log lines become progress; other output is ignored', (t) => {
  t.deepEqual(parseConjureLine('\u001b[32m\u001b[1m[info]\u001b[0m Deploying keystone... '), {
    level: 'info',
    message: 'Deploying keystone...',
    phase: 'deploy',
    application: 'keystone',
  });
  t.deepEqual(parseConjureLine('[info] keystone: deployed, installing.'), {
    level: 'info',
    message: 'keystone: deployed, installing.',
    phase: 'deployed',
    application: 'keystone',
  });
  t.is(parseConjureLine('[info] Setting application relations')?.phase, 'relations');
  t.is(parseConjureLine('[error] Some applications failed to start successfully.')?.phase, 'error');
  t.is(parseConjureLine('Traceback (most recent call last):'), undefined);
});

async function spellEnv(version: string, faults?: object) {
  const simDir = await mkdtemp(join(tmpdir(), 'lxdstack-conjure-'));
  if (faults) await writeFile(join(simDir, 'faults.json'), JSON.stringify(faults));
  return {
    simDir,
    env: { ...simulatorEnv(simDir), LXDSTACK_SIM_JUJU_VERSION: version, LXDSTACK_SIM_SPEED: '0' },
  };
}

const run = {
  spellDir: join(FIXTURES, 'tutorial'),
  cloud: 'localhost',
  controller: 'lxdstack',
  model: 'openstack',
};

test('the headless spell run bootstraps, deploys the spell bundle through juju and reports progress', async (t) => {
  const { simDir, env } = await spellEnv('2.9.46');
  const engine = createConjureEngine({ env });
  t.regex(engine.describe(run), /conjure-up .*\/tutorial localhost lxdstack openstack$/);
  const progress: ConjureProgress[] = [];
  await engine.deploySpell({ ...run, onProgress: (_line, p) => p && progress.push(p) });
  t.is(progress.filter((p) => p.phase === 'deployed').length, 15);
  t.is(progress.at(-1)?.phase, 'done');
  const state = await readSimState(simDir);
  t.deepEqual(Object.keys(state.controllers.lxdstack!.models).sort(), ['controller', 'openstack']);
  const status = await createJujuClient({ env }).status('lxdstack:openstack');
  t.is(Object.keys(status.applications).length, 15);
});

test("a failing application fails the spell run with conjure-up's error line", async (t) => {
  const { env } = await spellEnv('2.9.46', { unitErrors: [{ unit: 'glance/0' }] });
  const error = await t.throwsAsync(createConjureEngine({ env }).deploySpell(run), { instanceOf: JobError });
  t.regex(error.message, /failed \(exit 1\): Some applications failed to start successfully\./);
  t.deepEqual(error.details, ['glance/0 is in error: hook failed: "install"']);
});

test('conjure-up drives juju the 2.x way, so against juju 3.x it fails as the real one would', async (t) => {
  const { env } = await spellEnv('3.6.1');
  const error = await t.throwsAsync(createConjureEngine({ env }).deploySpell(run), { instanceOf: JobError });
  t.regex(error.message, /option provided but not defined: --default-model/);
});
