import test from 'ava';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit } from '../../src/commands/init.js';
import { runTeardown } from '../../src/commands/teardown.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { Ledger } from '../../src/state/ledger.js';
import { DeclinedError, ExitCode } from '../../src/util/errors.js';
import { labStateDir } from '../../src/util/paths.js';
import { promptSession } from '../helpers/prompts.js';

// Answering no to a confirmation is an answer, not a failure: exit 5, nothing done.

test('declining the teardown confirmation removes nothing and exits 5', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-decline-'));
  await writeLabYaml(join(cwd, 'lab.yaml'), defaultSpec('tutorial-2016'));
  // a lab with something recorded (a lab with nothing recorded has nothing to confirm)
  const dir = labStateDir(join(cwd, 'lab.yaml'), 'openstack-lab');
  const recorded = await Ledger.open(dir, 'openstack-lab', 'deploy', true);
  await recorded.recordResource({ kind: 'controller', name: 'lxdstack' });
  const s = promptSession(cwd, [[/^Remove what lab openstack-lab created/, [{ confirm: false }]]]);
  const error = await t.throwsAsync(runTeardown({ simulate: true }, s.ctx));
  t.true(error instanceof DeclinedError);
  t.is((error as DeclinedError).exitCode, ExitCode.declined);
  t.is(error!.message, 'Nothing was removed (not confirmed).');
  t.is((await Ledger.inspect(dir, 'openstack-lab')).liveResources('controller').length, 1);
});

test('declining to write lab.yaml writes nothing and exits 5', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-decline-'));
  const s = promptSession(cwd, [[/^Write /, [{ confirm: false }]]]);
  const error = await t.throwsAsync(runInit({ profile: 'modern' }, s.ctx));
  t.true(error instanceof DeclinedError);
  t.is(error!.message, 'Nothing written.');
  await t.throwsAsync(access(join(cwd, 'lab.yaml')), { code: 'ENOENT' });
});
