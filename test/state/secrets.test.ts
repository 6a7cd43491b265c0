import test from 'ava';
import { execa } from 'execa';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createJujuClient } from '../../src/juju/client.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { readSimState } from '../../src/sim/state.js';
import { localRunner, type CommandRunner } from '../../src/util/runner.js';
import { cli, newSimLab, ADMIN_PASSWORD } from '../pipeline/sim-lab.js';

// Secrets stay secret: proxy credentials, OS_PASSWORD and the admin password appear in no output, no
// juju argv and no file of the diagnostics tarball; files that hold them are 0600; a validation error
// never echoes a secret field's value. Through the built CLI (`npm run build` first) on the simulator.

const PROXY_PASSWORD = 'Pr0xy-Pa55-Word';
const PROXY = `http://alice:${PROXY_PASSWORD}@proxy.example:3128`;
const OS_PASSWORD = 'Os-Pa55word-From-Env';
const SECRETS = [PROXY_PASSWORD, OS_PASSWORD, ADMIN_PASSWORD];

function leaks(text: string): string[] {
  return SECRETS.filter((secret) => text.includes(secret));
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('proxy credentials, OS_PASSWORD and the admin password reach no output and no file of the logs tarball', async (t) => {
  const lab = await newSimLab({ OS_PASSWORD });
  await writeFile(
    join(lab.cwd, 'lab.yaml'),
    stringify({
      ...defaultSpec('tutorial-2016'),
      adminPassword: ADMIN_PASSWORD,
      proxy: { http: PROXY, https: PROXY },
    }),
  );
  const outputs: Record<string, string> = {};
  for (const args of [
    ['plan'],
    ['deploy', '--simulate', '--dry-run'],
    ['deploy', '--simulate'],
    ['status'],
    ['logs', '-o', 'diagnostics.tar.gz'],
  ]) {
    const result = await cli(lab, args);
    t.is(result.exitCode, 0, `${args.join(' ')}: ${result.stderr}`);
    outputs[args.join(' ')] = result.stdout + result.stderr;
  }
  for (const [command, text] of Object.entries(outputs)) t.deepEqual(leaks(text), [], `lxdstack ${command}`);

  // The proxies did reach juju (the model's config in the simulator), through a file and not argv.
  const sim = await readSimState(lab.simDir);
  t.is(sim.controllers.lxdstack?.models.openstack?.config['http-proxy'], PROXY);
  // Files that hold a secret are private.
  for (const file of ['sim/state.json', 'Conjurefile', 'bundle.yaml', 'state.json'])
    t.is((await stat(join(lab.labDir, file))).mode & 0o777, 0o600, file);

  const unpacked = await mkdtemp(join(tmpdir(), 'lxdstack-diag-'));
  await execa('tar', ['-xzf', join(lab.cwd, 'diagnostics.tar.gz'), '-C', unpacked]);
  const files = await filesUnder(unpacked);
  t.true(files.some((f) => f.endsWith('sim/state.json')));
  for (const file of files) t.deepEqual(leaks(await readFile(file, 'utf8')), [], file);

  const down = await cli(lab, ['teardown', '--yes']);
  t.is(down.exitCode, 0, down.stderr);
  t.deepEqual(leaks(down.stdout + down.stderr), []);
});

test('a validation error names a secret field without echoing its value', async (t) => {
  const lab = await newSimLab();
  await writeFile(
    join(lab.cwd, 'lab.yaml'),
    stringify({
      ...defaultSpec('tutorial-2016'),
      adminPassword: 73197319731973,
      proxy: { http: 84268426842684 },
    }),
  );
  const result = await cli(lab, ['plan']);
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /adminPassword: expected string, received number/);
  t.regex(result.stderr, /proxy\.http: expected string, received number/);
  t.false(result.stderr.includes('73197319731973'));
  t.false(result.stderr.includes('84268426842684'));
});

test('bootstrap and add-model give juju their config (proxy credentials) in a 0600 file, never in argv', async (t) => {
  const seen: { args: string[]; file?: string; mode?: number }[] = [];
  const runner: CommandRunner = {
    ...localRunner,
    run: async (file, args) => {
      const index = args.indexOf('--config');
      const path = index === -1 ? undefined : args[index + 1];
      seen.push({
        args: [...args],
        ...(path ? { file: await readFile(path, 'utf8'), mode: (await stat(path)).mode & 0o777 } : {}),
      });
      return { command: [file, ...args].join(' '), exitCode: 0, stdout: '', stderr: '', durationMs: 0 };
    },
  };
  const juju = createJujuClient({ runner, flavour: '3' });
  const config = { 'http-proxy': PROXY, 'no-proxy': '127.0.0.1' };
  await juju.bootstrap({ cloud: 'localhost', controller: 'lxdstack', config });
  await juju.addModel({ controller: 'lxdstack', model: 'openstack', config });
  t.is(seen.length, 2);
  for (const call of seen) {
    t.false(call.args.join(' ').includes(PROXY_PASSWORD));
    t.is(call.mode, 0o600);
    t.regex(call.file ?? '', /http-proxy: http:\/\/alice:Pr0xy-Pa55-Word@proxy\.example:3128/);
  }
});
