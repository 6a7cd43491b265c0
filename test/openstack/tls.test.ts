import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenStackClient } from '../../src/openstack/client.js';
import { OpenStackApiError } from '../../src/openstack/errors.js';

// A Keystone stand-in over TLS with a certificate from a private CA, as the charms' Vault issues them.

async function privateCaKeystone() {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-tls-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=lxdstack test CA',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
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
  const server = createServer(
    { key: await readFile(join(dir, 'server.key')), cert: await readFile(join(dir, 'server.pem')) },
    (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': 'tls-token' });
        res.end(
          JSON.stringify({
            token: {
              expires_at: new Date(Date.now() + 3600_000).toISOString(),
              user: { id: 'u' },
              project: { id: 'p' },
              roles: [],
              catalog: [],
            },
          }),
        );
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
  return {
    url,
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
