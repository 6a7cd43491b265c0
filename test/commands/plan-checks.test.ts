import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../../src/commands/plan.js';
import { InputError } from '../../src/util/errors.js';
import { probeHostNetworks } from '../../src/lxd/lab-probes.js';
import { captureContext } from '../pipeline/context.js';

// plan checks the free-text fields deploy will rely on, and names the field.

async function lab(extra: string) {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-plan-checks-'));
  await writeFile(join(cwd, 'lab.yaml'), `profile: tutorial-2016\n${extra}`);
  return cwd;
}

test('a private key given as sshPublicKey is refused by plan, naming the field', async (t) => {
  const cwd = await lab('sshPublicKey: ./id_ed25519\n');
  await writeFile(
    join(cwd, 'id_ed25519'),
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n',
  );
  const error = await t.throwsAsync(runPlan({}, captureContext(cwd).ctx));
  t.true(error instanceof InputError);
  t.regex(error!.message, /sshPublicKey: \.\/id_ed25519 is not an OpenSSH public key; it is a private key/);
});

test('a missing key file is a warning on stderr; plan still succeeds', async (t) => {
  const cwd = await lab('sshPublicKey: ./nope.pub\n');
  const capture = captureContext(cwd);
  t.is(await runPlan({}, capture.ctx), 0);
  t.regex(capture.stderr(), /warning: sshPublicKey: \.\/nope\.pub cannot be read/);
});

test('a bad proxy URL or cloud name stops plan with exit 2, naming the field', async (t) => {
  const cwd = await lab('proxy: {http: "squid:3128"}\n');
  await t.throwsAsync(runPlan({}, captureContext(cwd).ctx), {
    instanceOf: InputError,
    message: /1 problem in the lab answers/,
  });
  const error = await t.throwsAsync<InputError>(runPlan({}, captureContext(cwd).ctx));
  t.regex(error!.details[0]!, /^proxy\.http: "squid:3128" is not an http:\/\/ or https:\/\/ URL/);
});

test('an external CIDR that overlaps a network of this host stops plan with exit 2, naming network.externalCidr', async (t) => {
  const taken = probeHostNetworks()[0];
  if (!taken) return t.fail('this test needs a host with a non-loopback IPv4 network');
  // the /24 around one of this host's own addresses: it overlaps that network whatever its prefix
  const prefix = taken.cidr.split('/')[0]!.split('.').slice(0, 3).join('.');
  const cwd = await lab(
    [
      'network:',
      `  externalCidr: ${prefix}.0/24`,
      `  gateway: ${prefix}.1`,
      `  floatingStart: ${prefix}.100`,
      `  floatingEnd: ${prefix}.150`,
      `  dnsServers: [${prefix}.1]`,
      '',
    ].join('\n'),
  );
  const error = await t.throwsAsync(runPlan({}, captureContext(cwd).ctx));
  t.true(error instanceof InputError);
  t.is((error as InputError).exitCode, 2);
  t.regex(error!.message, new RegExp(`network\\.externalCidr overlaps ${taken.name} \\(`));
  t.regex(error!.message, /Pick another range for network\.externalCidr/);
});

test('the default external CIDR, which no network of this host uses, passes plan', async (t) => {
  const cwd = await lab('');
  t.is(await runPlan({ json: true }, captureContext(cwd).ctx), 0);
});
