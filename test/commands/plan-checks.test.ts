import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../../src/commands/plan.js';
import { InputError } from '../../src/util/errors.js';
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
