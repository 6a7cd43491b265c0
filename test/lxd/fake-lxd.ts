import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A stand-in LXD for unit tests: an HTTP server on a temporary unix socket that replays recorded API
// answers (test/fixtures/lxd, captured from LXD 5.0.2) keyed on "METHOD path", and records requests.

export const FIXTURES = new URL('../fixtures/lxd/', import.meta.url);

export async function fixture(name: string): Promise<unknown> {
  return JSON.parse(await readFile(new URL(name, FIXTURES), 'utf8'));
}

export interface Answer {
  status?: number;
  body: unknown;
  /** Never answer (for timeout tests). */
  hang?: boolean;
}

export interface FakeLxd {
  socketPath: string;
  requests: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}

export async function startFakeLxd(routes: Record<string, Answer | Answer[]>): Promise<FakeLxd> {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-fake-lxd-'));
  const socketPath = join(dir, 'unix.socket');
  const requests: FakeLxd['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = `${req.method} ${req.url}`;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const route = routes[key];
      const answer = Array.isArray(route) ? route.shift() : route;
      if (!answer) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: 'not found', error_code: 404 }));
        return;
      }
      if (answer.hang) return;
      res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
