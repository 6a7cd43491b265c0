import test from 'ava';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cliInProcess as cli, newSimLab } from '../pipeline/sim-lab.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';

// Read-only commands are read-only: plan, dry runs, status, logs and a teardown of a lab that recorded
// nothing create no secret, no ledger and no state (no .lxdstack at all). Only deploy creates the
// admin password, 0600, under the lock. Through the CLI's command line in this process.

async function labWithoutPassword() {
  const lab = await newSimLab();
  // No adminPassword in the answers: deploy generates one.
  await writeLabYaml(join(lab.cwd, 'lab.yaml'), defaultSpec('tutorial-2016'));
  return lab;
}

const READ_ONLY: string[][] = [
  ['plan'],
  ['plan', '--json'],
  ['deploy', '--dry-run'],
  ['deploy', '--dry-run', '--simulate'],
  ['status', '--simulate'],
  ['logs', '--simulate', '-o', '../diagnostics.tar.gz'],
  ['teardown', '--yes'],
  ['teardown', '--yes', '--simulate'],
];

test('plan, dry runs, status, logs and a teardown of nothing create nothing in the lab folder', async (t) => {
  const lab = await labWithoutPassword();
  for (const args of READ_ONLY) {
    const result = await cli(lab, args);
    t.true([0, 1].includes(result.exitCode), `${args.join(' ')}: ${result.stderr}`);
    t.deepEqual(
      (await readdir(lab.cwd)).filter((f) => f !== 'logs'),
      ['lab.yaml'],
      `lxdstack ${args.join(' ')} created something`,
    );
  }
  const teardown = await cli(lab, ['teardown', '--yes']);
  t.regex(
    teardown.stdout,
    /^Lab openstack-lab has recorded nothing \(no ledger in .*\); nothing to tear down\.$/m,
  );
});

test('deploy creates the admin password, 0600, and leaves no lock behind', async (t) => {
  const lab = await labWithoutPassword();
  const result = await cli(lab, ['deploy', '--simulate']);
  t.is(result.exitCode, 0, result.stderr);
  t.is((await stat(join(lab.labDir, 'admin-password'))).mode & 0o777, 0o600);
  t.false((await readdir(lab.labDir)).includes('lock'));
  const down = await cli(lab, ['teardown', '--yes']);
  t.is(down.exitCode, 0, down.stderr);
});
