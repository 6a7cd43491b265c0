import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A small stand-in for OpenStack's APIs on loopback, to see exactly what the client sends.

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export async function fakeCloud(handler: (req: Seen, res: ServerResponse, base: string) => void) {
  const seen: Seen[] = [];
  let base = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      handler(entry, res, base);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Keystone's answer to a password auth: a token that lasts an hour and `catalog`. */
export function issueToken(res: ServerResponse, token: string, catalog: unknown[]): void {
  res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': token });
  res.end(
    JSON.stringify({
      token: {
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        user: { id: 'u1' },
        project: { id: 'p1' },
        roles: [{ name: 'admin' }],
        catalog,
      },
    }),
  );
}

export const credentials = (base: string, password = 'right-password') => ({
  authUrl: `${base}/v3`,
  username: 'admin',
  password,
  projectName: 'admin',
  userDomainName: 'admin_domain',
  projectDomainName: 'admin_domain',
});
