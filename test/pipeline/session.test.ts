import test from 'ava';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLab } from '../../src/pipeline/session.js';
import { Ledger } from '../../src/state/ledger.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { InputError } from '../../src/util/errors.js';
import { captureContext } from './context.js';

async function labFolder() {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-lab-'));
  await writeLabYaml(join(cwd, 'lab.yaml'), defaultSpec('tutorial-2016'));
  return { cwd, dir: join(cwd, '.lxdstack', 'openstack-lab') };
}

test('a lab deployed on the simulator stays simulated for later commands without --simulate', async (t) => {
  const { cwd } = await labFolder();
  const { ctx } = captureContext(cwd);
  const first = await openLab(ctx, { command: 'deploy', simulate: true });
  await first.release();
  const later = await openLab(ctx, { command: 'teardown' });
  t.true(later.simulated);
  await later.release();
});

test('--simulate on a lab that holds real resources is refused, naming the ledger', async (t) => {
  const { cwd, dir } = await labFolder();
  const ledger = await Ledger.open(dir, 'openstack-lab', 'deploy', false);
  await ledger.recordResource({ kind: 'controller', name: 'lxdstack' });
  const { ctx } = captureContext(cwd);
  const error = await t.throwsAsync(openLab(ctx, { command: 'deploy', simulate: true }));
  t.true(error instanceof InputError);
  t.regex(error!.message, /was deployed for real \(see .*state\.json\); drop --simulate/);
});

test('a dry run reads the ledger without writing it or taking the lock', async (t) => {
  const { cwd } = await labFolder();
  const { ctx } = captureContext(cwd);
  const view = await openLab(ctx, { command: 'deploy', readOnly: true, simulate: true });
  await view.ledger.stepStarted('preflight');
  const holder = await openLab(ctx, { command: 'deploy', simulate: true });
  t.is(holder.ledger.step('preflight'), undefined);
  await holder.release();
});

test('state follows the answers file (-a), not the current directory', async (t) => {
  const { cwd: labHome, dir } = await labFolder();
  const elsewhere = await mkdtemp(join(tmpdir(), 'lxdstack-elsewhere-'));
  const { ctx } = captureContext(elsewhere);
  const session = await openLab(ctx, {
    command: 'deploy',
    simulate: true,
    answers: join(labHome, 'lab.yaml'),
  });
  t.is(session.dir, dir);
  await session.ledger.recordResource({ kind: 'controller', name: 'lxdstack' });
  await session.release();
  await t.throwsAsync(access(join(elsewhere, '.lxdstack')), { code: 'ENOENT' });
  // the same lab opened from its own folder finds the same ledger
  const again = await openLab(captureContext(labHome).ctx, { command: 'teardown' });
  t.is(again.ledger.liveResources().length, 1);
  await again.release();
});

test('a second ledger for the same lab, left in the current directory, is refused and named', async (t) => {
  const { cwd: labHome } = await labFolder();
  const elsewhere = await mkdtemp(join(tmpdir(), 'lxdstack-elsewhere-'));
  const stray = await Ledger.open(
    join(elsewhere, '.lxdstack', 'openstack-lab'),
    'openstack-lab',
    'deploy',
    true,
  );
  await stray.recordResource({ kind: 'model', name: 'openstack' });
  const { ctx } = captureContext(elsewhere);
  const error = await t.throwsAsync(
    openLab(ctx, { command: 'deploy', simulate: true, answers: join(labHome, 'lab.yaml') }),
  );
  t.true(error instanceof InputError);
  t.true(error!.message.includes(join(elsewhere, '.lxdstack', 'openstack-lab', 'state.json')));
  t.regex(error!.message, /second ledger/);
});
