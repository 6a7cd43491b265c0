import test from 'ava';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionOutcome } from '../../src/juju/actions.js';
import { createJujuClient } from '../../src/juju/client.js';
import { VAULT_LADDER, postDeploymentAdvice } from '../../src/juju/post-deployment.js';
import { parseStatus } from '../../src/juju/status.js';
import { formatStatusReport, statusReport } from '../../src/juju/status-report.js';

// The post-deployment vocabulary: action outputs of both flavours, the advice for units waiting on
// vault, and secret action parameters reaching juju only in a params file.

test('an action outcome reads 3.x (keyed by unit) and 2.9 (keyed by unit-<app>-<n>) output alike', (t) => {
  const three = { 'vault/0': { id: '7', results: { output: 'PEM', 'return-code': 0 }, status: 'completed' } };
  t.deepEqual(actionOutcome(three), {
    unit: 'vault/0',
    status: 'completed',
    results: { output: 'PEM', 'return-code': 0 },
  });
  const two = {
    'unit-vault-0': {
      id: '7',
      message: 'Please run action on lead unit',
      results: {},
      status: 'failed',
      unit: 'vault/1',
    },
  };
  t.deepEqual(actionOutcome(two), {
    unit: 'vault/1',
    status: 'failed',
    message: 'Please run action on lead unit',
    results: {},
  });
  t.is(actionOutcome('Action queued with id: "7"'), undefined);
});

test("units waiting on vault's post-deployment steps get the advice of the lab's unlock mode", (t) => {
  t.regex(
    postDeploymentAdvice(VAULT_LADDER.uninitialised, true) ?? '',
    /run `lxdstack deploy`: its vault step initialises, unseals/,
  );
  t.regex(postDeploymentAdvice(VAULT_LADDER.sealed, false) ?? '', /vault\.unlock is auto/);
  t.regex(postDeploymentAdvice(VAULT_LADDER.noCa, true) ?? '', /generate-root-ca/);
  t.regex(
    postDeploymentAdvice("'ovsdb-peer' incomplete, 'certificates' awaiting server certificate data", true) ??
      '',
    /waits for vault's certificates/,
  );
  t.is(postDeploymentAdvice('Incomplete relations: database', true), undefined);
});

test('secret action parameters reach juju in a private --params file, never in argv', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-params-'));
  const record = join(dir, 'record.json');
  const juju = join(dir, 'juju');
  // a stand-in juju that records its argv and the params file it was given, and answers as 3.x does
  await writeFile(
    juju,
    `#!/usr/bin/env node
const fs = require('node:fs');
const argv = process.argv.slice(2);
const file = argv[argv.indexOf('--params') + 1];
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv, params: fs.readFileSync(file, 'utf8'), mode: fs.statSync(file).mode & 0o777 }));
process.stdout.write(JSON.stringify({ 'vault/0': { id: '1', results: { 'return-code': 0 }, status: 'completed' } }));
`,
  );
  await chmod(juju, 0o755);
  const client = createJujuClient({ executable: juju, flavour: '3', env: process.env });
  const doc = await client.runActionWithParamsFile(
    { model: 'lab:openstack', unit: 'vault/leader', action: 'authorize-charm' },
    { token: 's.secret-token' },
  );
  t.is(actionOutcome(doc)?.status, 'completed');
  const seen = JSON.parse(await readFile(record, 'utf8')) as { argv: string[]; params: string; mode: number };
  t.false(seen.argv.join(' ').includes('s.secret-token'));
  t.deepEqual(seen.argv.slice(0, 5), ['run', '-m', 'lab:openstack', 'vault/leader', 'authorize-charm']);
  t.is(seen.params.trim(), 'token: s.secret-token');
  t.is(seen.mode, 0o600);
});

test('status names the units waiting on vault and what to run', (t) => {
  const unit = (message: string, current = 'blocked') => ({
    'workload-status': { current, message },
    'juju-status': { current: 'idle' },
    leader: true,
  });
  const status = parseStatus({
    model: { name: 'openstack' },
    machines: {},
    applications: {
      vault: { charm: 'vault', units: { 'vault/0': unit(VAULT_LADDER.uninitialised) } },
      'ovn-central': {
        charm: 'ovn-central',
        units: {
          'ovn-central/0': unit(
            "'ovsdb-peer' incomplete, 'certificates' awaiting server certificate data",
            'waiting',
          ),
        },
      },
      keystone: { charm: 'keystone', units: { 'keystone/0': unit('Unit is ready', 'active') } },
    },
  });
  const report = statusReport('lxdstack:openstack', status, false, { vaultManual: true });
  t.is(report.advice.length, 2);
  t.regex(report.advice[0]!, /^ovn-central\/0: waits for vault's certificates/);
  t.regex(report.advice[1]!, /^vault\/0: vault waits for its post-deployment steps: run `lxdstack deploy`/);
  const lines = formatStatusReport(report, '');
  t.true(lines.includes('Next:'));
});
