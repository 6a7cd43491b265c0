import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenStackClient } from '../../src/openstack/client.js';
import { writeClientFiles } from '../../src/openstack/configure.js';
import {
  credentialsFromCloudsFile,
  credentialsFromCloudsYaml,
  credentialsFromEnv,
} from '../../src/openstack/credentials.js';
import { OpenStackApiError } from '../../src/openstack/errors.js';
import { configuredLabCredentials, labCaPath } from '../../src/openstack/lab-credentials.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { cloudPort } from '../../src/pipeline/cloud-adapter.js';
import { Ledger } from '../../src/state/ledger.js';
import { issueToken } from './fake-cloud.js';

// A Keystone stand-in over TLS with a certificate from a private CA, as the charms' Vault issues them.

/** One private CA and a server certificate it signed for 127.0.0.1, made once per test file (openssl). */
const pki = (async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-pki-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=lxdstack test CA',
  ]);
  run(['req', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'san.ext',
  ]);
  return {
    ca: await readFile(join(dir, 'ca.pem')),
    key: await readFile(join(dir, 'server.key')),
    cert: await readFile(join(dir, 'server.pem')),
  };
})();

async function privateCaKeystone() {
  const { ca, key, cert } = await pki;
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-tls-'));
  await writeFile(join(dir, 'ca.pem'), ca);
  const server = createServer({ key, cert }, (req, res) => {
    req.resume();
    req.on('end', () => issueToken(res, 'tls-token', []));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
  return {
    url,
    dir,
    caFile: join(dir, 'ca.pem'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const credentials = (authUrl: string) => ({
  authUrl,
  username: 'admin',
  password: 'pw-123456',
  projectName: 'admin',
  userDomainName: 'Default',
  projectDomainName: 'Default',
});

test('a TLS endpoint signed by a private CA is trusted with caFile, and refused without it', async (t) => {
  const keystone = await privateCaKeystone();
  try {
    const trusting = await createOpenStackClient({ ...credentials(keystone.url), caFile: keystone.caFile });
    t.is((await trusting.authenticate()).token, 'tls-token');
    const plain = await createOpenStackClient(credentials(keystone.url));
    const error = await t.throwsAsync(plain.authenticate(), { instanceOf: OpenStackApiError });
    t.regex(error.message, /could not connect \(.*certificate.*\)/i);
  } finally {
    await keystone.close();
  }
});

test('an unreadable CA file is an input error naming it', async (t) => {
  await t.throwsAsync(
    createOpenStackClient({ ...credentials('https://127.0.0.1:1/v3'), caFile: '/nonexistent/ca.pem' }),
    {
      message: /The CA file \/nonexistent\/ca.pem cannot be read/,
    },
  );
});

test('OS_CACERT and a clouds.yaml cacert are trusted; OS_CACERT serves a cloud that names none', async (t) => {
  const keystone = await privateCaKeystone();
  try {
    const fromEnv = credentialsFromEnv({
      OS_AUTH_URL: keystone.url,
      OS_USERNAME: 'admin',
      OS_PASSWORD: 'pw-123456',
      OS_PROJECT_NAME: 'admin',
      OS_CACERT: keystone.caFile,
    });
    t.is((await (await createOpenStackClient(fromEnv)).authenticate()).token, 'tls-token');

    const cloudsFile = join(keystone.dir, 'clouds.yaml');
    const auth = `auth: {auth_url: '${keystone.url}', username: admin, password: pw-123456, project_name: admin}`;
    await writeFile(
      cloudsFile,
      `clouds:\n  named: {cacert: '${keystone.caFile}', ${auth}}\n  bare: {${auth}}\n`,
    );
    const env = { OS_CLIENT_CONFIG_FILE: cloudsFile, HOME: keystone.dir };
    const named = await credentialsFromCloudsYaml(
      'named',
      { ...env, OS_CACERT: '/elsewhere/ca.pem' },
      keystone.dir,
    );
    t.is(named.caFile, keystone.caFile);
    t.is((await (await createOpenStackClient(named)).authenticate()).token, 'tls-token');
    const bare = await credentialsFromCloudsYaml(
      'bare',
      { ...env, OS_CACERT: keystone.caFile },
      keystone.dir,
    );
    t.is((await (await createOpenStackClient(bare)).authenticate()).token, 'tls-token');
    t.is((await credentialsFromCloudsYaml('bare', env, keystone.dir)).caFile, undefined);
  } finally {
    await keystone.close();
  }
});

test('the lab’s ca.pem is trusted, and the clouds.yaml and novarc lxdstack writes name it', async (t) => {
  const keystone = await privateCaKeystone();
  try {
    const labDirectory = join(keystone.dir, 'lab');
    await mkdir(labDirectory);
    await writeFile(labCaPath(labDirectory), await readFile(keystone.caFile));
    const ledger = await Ledger.inspect(labDirectory, 'lab');
    const client = await createOpenStackClient({
      ...credentials(keystone.url),
      caFile: labCaPath(labDirectory),
    });
    const files = await writeClientFiles(client, 'lab', labDirectory, ledger);
    t.deepEqual(files, [join(labDirectory, 'clouds.yaml'), join(labDirectory, 'novarc')]);
    const cloudsYaml = await readFile(files[0]!, 'utf8');
    t.true(cloudsYaml.includes(`\n    cacert: ${labCaPath(labDirectory)}\n`), cloudsYaml);
    const novarc = await readFile(files[1]!, 'utf8');
    t.true(novarc.includes(`\nexport OS_CACERT='${labCaPath(labDirectory)}'\n`), novarc);
    t.is((await stat(files[1]!)).mode & 0o777, 0o600);

    const written = await credentialsFromCloudsFile('lab', files[0]!);
    t.is(written.caFile, labCaPath(labDirectory));
    // a clouds.yaml written before the CA existed still gets it: the lab's own file is looked for
    await writeFile(files[0]!, (await readFile(files[0]!, 'utf8')).replace(/\n +cacert: .*\n/, '\n'));
    const configured = await configuredLabCredentials({ name: 'lab' }, labDirectory);
    t.is(configured.caFile, labCaPath(labDirectory));
    t.is((await (await createOpenStackClient(configured)).authenticate()).token, 'tls-token');
  } finally {
    await keystone.close();
  }
});

test('a lab’s own Keystone is reached over TLS with the lab’s ca.pem before any clouds.yaml exists', async (t) => {
  const keystone = await privateCaKeystone();
  try {
    const labDirectory = join(keystone.dir, 'lab');
    await mkdir(labDirectory);
    const ledger = await Ledger.inspect(labDirectory, 'lab');
    await ledger.recordResource({ kind: 'openstack-flavor', name: 'm1.tiny', data: { id: 'f1' } });
    const port = () =>
      cloudPort({
        spec: defaultSpec('modern'),
        labDirectory,
        answersFile: join(keystone.dir, 'lab.yaml'),
        env: {},
        simulated: false,
        adminPassword: 'pw-123456',
        keystoneUrl: async () => keystone.url,
      });
    // without the CA the certificate is refused; with it Keystone answers (its catalog is empty, hence no compute)
    await t.throwsAsync(port().removeResources(ledger), { message: /could not connect \(.*certificate/i });
    await writeFile(labCaPath(labDirectory), await readFile(keystone.caFile));
    await t.throwsAsync(port().removeResources(ledger), { message: /The catalog has no compute service/ });
  } finally {
    await keystone.close();
  }
});
