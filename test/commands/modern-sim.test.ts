import test from 'ava';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { VAULT_KEYS_FILE } from '../../src/pipeline/vault-steps.js';
import { runSimJuju } from '../../src/sim/juju/dispatch.js';
import { ADMIN_PASSWORD, cliInProcess, newSimLab } from '../pipeline/sim-lab.js';

// Issue 13's "Done when": a default modern lab, deployed on the simulator through the CLI, reaches
// ready with vault active, keystone on https and the CA written beside the lab.
test('a simulated modern deploy reaches ready with vault active, keystone on https and the CA in the lab folder', async (t) => {
  const lab = await newSimLab();
  await writeLabYaml(join(lab.cwd, 'lab.yaml'), { ...defaultSpec('modern'), adminPassword: ADMIN_PASSWORD });
  const deploy = await cliInProcess(lab, ['deploy', '--simulate']);
  t.is(deploy.exitCode, 0, deploy.stdout + deploy.stderr);
  t.regex(await readFile(join(lab.labDir, 'ca.pem'), 'utf8'), /BEGIN CERTIFICATE/);
  const status = await cliInProcess(lab, ['status', '--simulate']);
  t.is(status.exitCode, 0, status.stdout + status.stderr);
  t.regex(status.stdout, /^Model lxdstack:openstack: ready$/m);
  t.regex(status.stdout, /^vault\s+vault\s+1\/1\s+-\s+Unit is ready \(active: true/m);
  t.regex(status.stdout, /^Keystone: https:\/\/[\d.]+:5000\/v3 \(as keystone\/0 publishes it\)$/m);
  // keystone's identity-service data, as the charm publishes it once vault has a CA
  let shown = '';
  const code = await runSimJuju(
    ['show-unit', 'keystone/0', '--format', 'json'],
    { ...process.env, ...lab.env, LXDSTACK_SIM_DIR: lab.simDir },
    { stdout: (s) => (shown += s), stderr: () => undefined },
  );
  t.is(code, 0);
  const unit = (
    JSON.parse(shown) as Record<
      string,
      { 'relation-info': { endpoint: string; 'local-unit': { data: Record<string, string> } }[] }
    >
  )['keystone/0']!;
  const identity = unit['relation-info'].find((r) => r.endpoint === 'identity-service')!;
  t.is(identity['local-unit'].data.service_protocol, 'https');
  t.notRegex(deploy.stdout + status.stdout, new RegExp(ADMIN_PASSWORD));
});

// Issue 13 item 3: the README's post-deployment steps on the simulator, through Vault's HTTP API.
test('a simulated modern deploy with vault.unlock manual inits, unseals and authorises vault, keys only in a 0600 file', async (t) => {
  const lab = await newSimLab();
  const spec = defaultSpec('modern');
  await writeLabYaml(join(lab.cwd, 'lab.yaml'), {
    ...spec,
    adminPassword: ADMIN_PASSWORD,
    vault: { ...spec.vault, unlock: 'manual' },
  });
  const deploy = await cliInProcess(lab, ['deploy', '--simulate']);
  t.is(deploy.exitCode, 0, deploy.stdout + deploy.stderr);
  t.regex(await readFile(join(lab.labDir, 'ca.pem'), 'utf8'), /BEGIN CERTIFICATE/);
  const keysPath = join(lab.labDir, VAULT_KEYS_FILE);
  t.is((await stat(keysPath)).mode & 0o777, 0o600);
  const saved = JSON.parse(await readFile(keysPath, 'utf8')) as { keys: string[]; rootToken: string };
  t.is(saved.keys.length, 5);
  const output = deploy.stdout + deploy.stderr;
  for (const secret of [...saved.keys, saved.rootToken]) t.false(output.includes(secret));
  const status = await cliInProcess(lab, ['status', '--simulate']);
  t.regex(status.stdout, /^Model lxdstack:openstack: ready$/m);
  t.regex(status.stdout, /^vault\s+vault\s+1\/1\s+-\s+Unit is ready \(active: true/m);
});
