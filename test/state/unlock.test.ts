import test from 'ava';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { runUnlock } from '../../src/commands/unlock.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { acquireLabLock } from '../../src/state/lock.js';
import { runCli } from '../helpers/cli.js';
import { captureContext } from '../pipeline/context.js';

// Contention exits 4 naming the holder; `lxdstack unlock` removes a lock whose holder is gone and says
// whose it was, and refuses (exit 4) while the holder runs unless --force.

async function lab() {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-unlock-'));
  await writeLabYaml(join(cwd, 'lab.yaml'), defaultSpec('tutorial-2016'));
  return { cwd, dir: join(cwd, '.lxdstack', 'openstack-lab') };
}

test('a second lxdstack on a locked lab exits 4 and names the holder', async (t) => {
  const { cwd, dir } = await lab();
  const lock = await acquireLabLock(dir, 'deploy');
  const result = await runCli(['deploy', '--simulate'], {
    cwd,
    env: { CI: '1', LXDSTACK_LOG_DIR: join(cwd, 'logs') },
  });
  await lock.release();
  t.is(result.exitCode, 4, result.stderr);
  t.regex(
    result.stderr,
    new RegExp(
      `^error: The lab is locked by another lxdstack: pid ${process.pid} running \`lxdstack deploy\` since \\S+\\. Wait for it to finish, or stop it\\.$`,
      'm',
    ),
  );
});

test('unlock refuses while the holder runs, and --force removes it saying so', async (t) => {
  const { cwd, dir } = await lab();
  const lock = await acquireLabLock(dir, 'deploy');
  const { ctx, stdout } = captureContext(cwd);
  const error = await t.throwsAsync(runUnlock({}, ctx));
  t.is((error as { exitCode?: number }).exitCode, 4);
  t.regex(
    error!.message,
    /^Not unlocking lab openstack-lab: its lock belongs to pid \d+ running `lxdstack deploy` since .*, which is still running\. Stop it first, or pass --force/,
  );
  t.is(await runUnlock({ force: true }, ctx), 0);
  t.regex(
    stdout(),
    /^Removed the lock of lab openstack-lab \(.*lock\), held by pid \d+ .*, still running \(--force\)\.$/m,
  );
  t.false((await readdir(dir)).includes('lock'));
  await lock.release();
});

test('unlock removes a lock whose process is gone, and says there was nothing when there is no lock', async (t) => {
  const { cwd, dir } = await lab();
  const child = execa(process.execPath, ['-e', '0']);
  await child;
  await acquireLabLock(dir, 'deploy').then((l) => l.release());
  await writeFile(
    join(dir, 'lock'),
    JSON.stringify({ pid: child.pid, command: 'teardown', since: '2026-01-01T00:00:00.000Z', token: 't' }),
  );
  const { ctx, stdout } = captureContext(cwd);
  t.is(await runUnlock({}, ctx), 0);
  t.regex(
    stdout(),
    new RegExp(
      `Removed the lock of lab openstack-lab \\(.*\\), held by pid ${child.pid} running \`lxdstack teardown\` since 2026-01-01T00:00:00.000Z, which is no longer running\\.`,
    ),
  );
  t.is(await runUnlock({}, ctx), 0);
  t.regex(stdout(), /Lab openstack-lab is not locked \(no .*lock\); nothing to do\./);
});
