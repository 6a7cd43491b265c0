import test from 'ava';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lxdExecRunner } from '../../src/lxd/exec-runner.js';
import { TimeoutError } from '../../src/util/errors.js';
import { MemoryLxd } from './memory-lxd.js';

async function outer() {
  const lxd = new MemoryLxd();
  await lxd.createInstance({ name: 'openstack', source: { type: 'image', alias: 'busybox' } });
  return lxd;
}

test('a command runs in the instance under `timeout`, described as `lxc exec`', async (t) => {
  const lxd = await outer();
  lxd.execOutputs.set('timeout -k 10 30 juju status --format json', '{}');
  const runner = lxdExecRunner(lxd, 'openstack', { env: { HTTP_PROXY: 'http://proxy:3128' } });
  const result = await runner.run('juju', ['status', '--format', 'json'], {
    timeoutMs: 30_000,
    env: { HOME: '/root/of/this/host' },
  });
  t.is(result.command, 'lxc exec openstack -- juju status --format json');
  t.is(result.stdout, '{}');
  t.is(result.exitCode, 0);
  t.deepEqual(lxd.execs.at(-1), {
    name: 'openstack',
    argv: ['timeout', '-k', '10', '30', 'juju', 'status', '--format', 'json'],
  });
});

test('a command that ran out of time inside the instance is a TimeoutError naming it', async (t) => {
  const lxd = await outer();
  lxd.execCodes.set('timeout -k 10 2 juju deploy bundle.yaml', 124);
  const runner = lxdExecRunner(lxd, 'openstack');
  const error = await t.throwsAsync(
    runner.run('juju', ['deploy', 'bundle.yaml'], { timeoutMs: 1500, timeoutHint: 'check juju status' }),
  );
  t.true(error instanceof TimeoutError);
  t.regex(error?.message ?? '', /lxc exec openstack -- juju deploy bundle\.yaml/);
});

test('stdin cannot reach a command through LXD exec: asking for it is refused, not dropped', async (t) => {
  const runner = lxdExecRunner(await outer(), 'openstack');
  await t.throwsAsync(runner.run('juju', ['add-credential'], { timeoutMs: 1000, input: 'secret' }), {
    message: /no stdin/,
  });
});

test('staging pushes a file or a whole folder under the stage directory, keeping modes', async (t) => {
  const lxd = await outer();
  const local = await mkdtemp(join(tmpdir(), 'lxdstack-stage-'));
  await writeFile(join(local, 'bundle.yaml'), 'applications: {}\n', { mode: 0o644 });
  await mkdir(join(local, 'spell', 'steps'), { recursive: true });
  await writeFile(join(local, 'spell', 'metadata.yaml'), 'name: x\n');
  await writeFile(join(local, 'spell', 'steps', 'step-01.sh'), '#!/bin/sh\n', { mode: 0o755 });
  const runner = lxdExecRunner(lxd, 'openstack');
  t.is(await runner.stage(join(local, 'bundle.yaml')), '/root/lxdstack/bundle.yaml');
  t.is(await runner.stage(join(local, 'spell')), '/root/lxdstack/spell');
  t.deepEqual(lxd.pushed.get('openstack:/root/lxdstack/bundle.yaml'), {
    content: 'applications: {}\n',
    mode: 0o644,
  });
  t.is(lxd.pushed.get('openstack:/root/lxdstack/spell/steps/step-01.sh')?.mode, 0o755);
  t.true(lxd.execs.some((e) => e.argv.join(' ') === 'mkdir -p /root/lxdstack/spell/steps'));
});

test('a private file is pushed with mode 0600, used, then removed even when the use fails', async (t) => {
  const lxd = await outer();
  const runner = lxdExecRunner(lxd, 'openstack');
  await t.throwsAsync(
    runner.withPrivateFile('settings.yaml', 'keystone: {admin-password: pw}\n', async (path) => {
      t.is(path, '/root/lxdstack/settings.yaml');
      throw new Error('juju config failed');
    }),
    { message: 'juju config failed' },
  );
  t.is(lxd.pushed.get('openstack:/root/lxdstack/settings.yaml')?.mode, 0o600);
  t.deepEqual(lxd.execs.at(-1)?.argv, ['rm', '-f', '/root/lxdstack/settings.yaml']);
});
