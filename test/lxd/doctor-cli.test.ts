import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

// `lxdstack doctor` as a user runs it (built CLI, no TTY), on a host where it finds neither LXD nor juju:
// an empty PATH hides juju, and LXD_DIR points at a folder with no socket. (Whether the package is
// installed is read from dpkg's database, which a test cannot hide: checks.test.ts covers that verdict.)

async function bareHost(): Promise<{ cwd: string; env: Record<string, string> }> {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-doctor-cli-'));
  return { cwd, env: { PATH: join(cwd, 'empty-bin'), LXD_DIR: join(cwd, 'no-lxd'), HOME: cwd } };
}

test('on a host without LXD or juju, doctor says exactly what to install and exits 3', async (t) => {
  const { cwd, env } = await bareHost();
  const result = await runCli(['doctor'], { cwd, env });
  t.is(result.exitCode, 3, result.stderr);
  t.regex(
    result.stdout,
    /^lxdstack doctor \(no lab\.yaml: checking against the tutorial-2016 profile's defaults\)$/m,
  );
  t.regex(result.stdout, /^FAIL {2}LXD daemon: .*no LXD socket at .*no-lxd\/unix\.socket\./m);
  t.regex(
    result.stdout,
    /Install LXD \(`apt-get install lxd lxd-client dnsmasq-base` or `snap install lxd`\)/,
  );
  t.regex(result.stdout, /fix: Install and initialise LXD, then start it: `lxd init --auto`\./);
  t.regex(result.stdout, /^FAIL {2}Juju: juju is not installed/m);
  t.regex(result.stdout, /fix: Install Juju 2\.9: `snap install juju --classic --channel=2\.9\/stable`\./);
  t.regex(result.stderr, /\d+ checks? failed \(.*lxd-daemon.*juju.*\)/);
});

test("--json prints {ok, checks} with each check's status, measured value and fix; a modern lab asks for Juju 3.6", async (t) => {
  const { cwd, env } = await bareHost();
  await writeFile(join(cwd, 'lab.yaml'), 'name: modern-lab\nprofile: modern\n');
  const result = await runCli(['doctor', '--json', '--no-container-smoke'], { cwd, env });
  t.is(result.exitCode, 3);
  const report = JSON.parse(result.stdout) as {
    ok: boolean;
    source: string;
    checks: { id: string; status: string; measured: string; fix?: string }[];
  };
  t.false(report.ok);
  t.regex(report.source, /lab\.yaml$/);
  const juju = report.checks.find((c) => c.id === 'juju');
  t.is(juju?.fix, 'Install Juju 3.6: `snap install juju --channel=3.6/stable`.');
  t.is(report.checks.find((c) => c.id === 'lxd-daemon')?.status, 'fail');
  t.false(report.checks.some((c) => c.id === 'container-smoke'));
});

test('bad lab answers are a usage error (exit 2), not a preflight failure', async (t) => {
  const { cwd, env } = await bareHost();
  await writeFile(join(cwd, 'lab.yaml'), 'profile: no-such-profile\n');
  const result = await runCli(['doctor'], { cwd, env });
  t.is(result.exitCode, 2, result.stderr);
});

test("doctor checks the lab's SSH key as plan does: a private key fails naming the .pub, a missing one warns", async (t) => {
  const { cwd, env } = await bareHost();
  await writeFile(join(cwd, 'lab.yaml'), 'profile: tutorial-2016\nsshPublicKey: ./id_ed25519\n');
  await writeFile(
    join(cwd, 'id_ed25519'),
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n',
  );
  const wrong = await runCli(['doctor', '--json', '--no-container-smoke'], { cwd, env });
  const checks = (JSON.parse(wrong.stdout) as { checks: { id: string; status: string; measured: string }[] })
    .checks;
  const key = checks.find((c) => c.id === 'ssh-key');
  t.is(key?.status, 'fail');
  t.regex(
    key?.measured ?? '',
    /is not an OpenSSH public key; it is a private key; name the \.pub file beside it/,
  );

  await writeFile(join(cwd, 'lab.yaml'), 'profile: tutorial-2016\nsshPublicKey: ./nope.pub\n');
  const missing = await runCli(['doctor', '--no-container-smoke'], { cwd, env });
  t.regex(
    missing.stdout,
    /^WARN {2}SSH public key \.\/nope\.pub: cannot be read; create a key with `ssh-keygen`/m,
  );

  await writeFile(join(cwd, 'id_ed25519.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA you@host\n');
  await writeFile(join(cwd, 'lab.yaml'), 'profile: tutorial-2016\nsshPublicKey: ./id_ed25519.pub\n');
  const good = await runCli(['doctor', '--no-container-smoke'], { cwd, env });
  t.regex(good.stdout, /^PASS {2}SSH public key \.\/id_ed25519\.pub: an OpenSSH public key$/m);
});
