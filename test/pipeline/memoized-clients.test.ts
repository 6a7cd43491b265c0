import test from 'ava';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudPort } from '../../src/pipeline/cloud-adapter.js';
import { jujuPort } from '../../src/pipeline/juju-adapter.js';
import { Ledger } from '../../src/state/ledger.js';
import { localRunner, type CommandRunner } from '../../src/util/runner.js';
import { defaultSpec } from '../../src/lab/defaults.js';

// The ports create their clients once and share them, but a client that failed to come up is tried again
// on the next call: a retried step must not repeat a remembered failure.

test('the cloud port asks for the keystone address again after it was missing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-cloud-port-'));
  const answers = [undefined, 'http://127.0.0.1:9/v3'];
  let asked = 0;
  const port = cloudPort({
    spec: defaultSpec('modern'),
    labDirectory: dir,
    answersFile: join(dir, 'lab.yaml'),
    env: {},
    simulated: false,
    adminPassword: 'pw-123456',
    keystoneUrl: async () => answers[asked++],
  });
  const ledger = await Ledger.inspect(dir, 'lab');
  await t.throwsAsync(port.removeResources(ledger), { message: /keystone has no address/ });
  t.deepEqual(await port.removeResources(ledger), []);
  t.deepEqual(await port.removeResources(ledger), []);
  t.is(asked, 2);
});

test('the juju port gets its runner again after it failed to come up', async (t) => {
  let attempts = 0;
  const versionRunner: CommandRunner = {
    ...localRunner,
    run: async (file, args) => ({
      command: [file, ...args].join(' '),
      exitCode: 0,
      stdout: '3.6.1-genericlinux-amd64\n',
      stderr: '',
      durationMs: 1,
    }),
  };
  const port = jujuPort({
    env: {},
    flavour: '3',
    settleMs: 0,
    runner: async () => {
      if (attempts++ === 0) throw new Error('the outer container is not running yet');
      return versionRunner;
    },
  });
  await t.throwsAsync(port.debugLog('c', 'm', 1), { message: /not running yet/ });
  t.is(await port.debugLog('c', 'm', 1), '3.6.1-genericlinux-amd64\n');
  t.is(await port.debugLog('c', 'm', 1), '3.6.1-genericlinux-amd64\n');
  t.is(attempts, 2);
});
