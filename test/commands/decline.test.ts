import test from 'ava';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit } from '../../src/commands/init.js';
import { runTeardown } from '../../src/commands/teardown.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { DeclinedError, ExitCode } from '../../src/util/errors.js';
import { promptSession } from '../helpers/prompts.js';

// Answering no to a confirmation is an answer, not a failure: exit 4, nothing done.

test('declining the teardown confirmation removes nothing and exits 4', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-decline-'));
  await writeLabYaml(join(cwd, 'lab.yaml'), defaultSpec('tutorial-2016'));
  const s = promptSession(cwd, [[/^Remove what lab openstack-lab created/, [{ confirm: false }]]]);
  const error = await t.throwsAsync(runTeardown({ simulate: true }, s.ctx));
  t.true(error instanceof DeclinedError);
  t.is((error as DeclinedError).exitCode, ExitCode.declined);
  t.is(error!.message, 'Nothing was removed (not confirmed).');
});

test('declining to write lab.yaml writes nothing and exits 4', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-decline-'));
  const s = promptSession(cwd, [[/^Write /, [{ confirm: false }]]]);
  const error = await t.throwsAsync(runInit({ profile: 'modern' }, s.ctx));
  t.true(error instanceof DeclinedError);
  t.is(error!.message, 'Nothing written.');
  await t.throwsAsync(access(join(cwd, 'lab.yaml')), { code: 'ENOENT' });
});
