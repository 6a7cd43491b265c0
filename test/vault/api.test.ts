import test from 'ava';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVaultApi, vaultUrl } from '../../src/vault/api.js';

// Vault's HTTP API as the README's vault client uses it, against a local server answering as Vault 1.8
// does: the keys and tokens travel in bodies and the X-Vault-Token header.

interface Seen {
  method: string;
  url: string;
  token?: string;
  body: unknown;
}

async function vaultServer(answer: (seen: Seen) => { status: number; body: unknown }) {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const entry: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        ...(typeof req.headers['x-vault-token'] === 'string' ? { token: req.headers['x-vault-token'] } : {}),
        body: text ? JSON.parse(text) : undefined,
      };
      seen.push(entry);
      const { status, body } = answer(entry);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // the unit's port is 8200; the test server's is free: route the URL there
  const fetchAt: typeof fetch = (url, init) => fetch(String(url).replace(':8200/', `:${port}/`), init);
  return { seen, fetchAt, close: () => new Promise((r) => server.close(r)) };
}

test('init, unseal and token/create send what Vault expects and read its answers', async (t) => {
  const server = await vaultServer(({ url }) => {
    if (url === '/v1/sys/init')
      return {
        status: 200,
        body: { keys: ['hex1', 'hex2'], keys_base64: ['b641', 'b642'], root_token: 's.root' },
      };
    if (url === '/v1/sys/unseal')
      return { status: 200, body: { initialized: true, sealed: false, t: 2, progress: 0 } };
    if (url === '/v1/auth/token/create') return { status: 200, body: { auth: { client_token: 's.short' } } };
    return { status: 200, body: { initialized: true, sealed: true, t: 2, progress: 1 } };
  });
  try {
    const api = createVaultApi({ fetch: server.fetchAt });
    t.deepEqual(await api.init('127.0.0.1', 2, 2), { keys: ['b641', 'b642'], rootToken: 's.root' });
    t.deepEqual(await api.sealStatus('127.0.0.1'), {
      initialized: true,
      sealed: true,
      threshold: 2,
      progress: 1,
    });
    t.false((await api.unseal('127.0.0.1', 'b641')).sealed);
    t.is(await api.createToken('127.0.0.1', 's.root', '10m'), 's.short');
    t.deepEqual(server.seen, [
      { method: 'PUT', url: '/v1/sys/init', body: { secret_shares: 2, secret_threshold: 2 } },
      { method: 'GET', url: '/v1/sys/seal-status', body: undefined },
      { method: 'PUT', url: '/v1/sys/unseal', body: { key: 'b641' } },
      { method: 'POST', url: '/v1/auth/token/create', token: 's.root', body: { ttl: '10m' } },
    ]);
  } finally {
    await server.close();
  }
});

test("Vault's refusal names the call and Vault's own error, never the key", async (t) => {
  const server = await vaultServer(() => ({
    status: 400,
    body: { errors: ['Vault is already initialized'] },
  }));
  try {
    const api = createVaultApi({ fetch: server.fetchAt });
    const error = await t.throwsAsync(api.unseal('127.0.0.1', 'secret-key-material'));
    t.is(
      error.message,
      'vault at 127.0.0.1:8200 refused an unseal key: HTTP 400 (Vault is already initialized)',
    );
  } finally {
    await server.close();
  }
});

test('an unreachable unit says what to check', async (t) => {
  const api = createVaultApi({ timeoutMs: 2000 });
  const error = await t.throwsAsync(api.sealStatus('127.0.0.1'));
  t.regex(
    error.message,
    /vault at 127\.0\.0\.1:8200 did not answer the seal status .*reaches the vault unit's address/,
  );
  t.is(vaultUrl('fd42::5', 'sys/init'), 'http://[fd42::5]:8200/v1/sys/init');
});
