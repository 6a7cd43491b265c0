import test from 'ava';
import { getEventListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createOpenStackClient } from '../../src/openstack/client.js';
import { OpenStackBodyError } from '../../src/openstack/errors.js';
import { fetchTransport, type HttpTransport } from '../../src/openstack/http.js';
import { InterruptedError } from '../../src/util/errors.js';
import { credentials, fakeCloud, issueToken, type Seen } from './fake-cloud.js';

// The session's behaviour when things go wrong: Ctrl-C, a refused token mid-upload, a body that is not JSON.

function catalog(base: string) {
  return [
    { type: 'compute', name: 'nova', endpoints: [{ interface: 'public', url: `${base}/v2.1` }] },
    { type: 'image', name: 'glance', endpoints: [{ interface: 'public', url: `${base}/image` }] },
  ];
}

/** Keystone (a new token per auth) and Nova's version document; every other call goes to `rest`. */
function cloudWith(rest: (req: Seen, res: ServerResponse) => void) {
  let tokens = 0;
  return (req: Seen, res: ServerResponse, base: string) => {
    if (req.method === 'POST' && req.url === '/v3/auth/tokens')
      return issueToken(res, `tok-${++tokens}`, catalog(base));
    if (req.url === '/v2.1/') {
      res.writeHead(200).end('{"version":{"version":"2.90"}}');
      return;
    }
    rest(req, res);
  };
}

/** fetch, counting the requests for `path`. */
function countingTransport(path: string) {
  const counter = {
    sent: 0,
    transport: ((req) => {
      if (new URL(req.url).pathname === path) counter.sent++;
      return fetchTransport(req);
    }) as HttpTransport,
  };
  return counter;
}

const HYPERVISORS = '/v2.1/os-hypervisors/detail';

/** A read of hypervisors that Nova answers with 503 and that Ctrl-C interrupts as `answer` decides: it must
 * fail at once with InterruptedError, and no retry may be sent. */
const interruptedRead = test.macro(
  async (t, answer: (res: ServerResponse, interrupt: () => void) => void) => {
    const controller = new AbortController();
    const cloud = await fakeCloud(cloudWith((req, res) => answer(res, () => controller.abort())));
    try {
      const counter = countingTransport(HYPERVISORS);
      const client = await createOpenStackClient(credentials(cloud.base), {
        signal: controller.signal,
        transport: counter.transport,
      });
      await client.computeMicroversion(); // token and microversion first, so only the read is timed
      const started = Date.now();
      await t.throwsAsync(client.listHypervisors(), {
        instanceOf: InterruptedError,
        message: /GET \/v2\.1\/os-hypervisors\/detail was stopped/,
      });
      // the two retry waits alone would take 900 ms
      t.true(Date.now() - started < 600, `took ${Date.now() - started} ms`);
      t.is(counter.sent, 1);
    } finally {
      await cloud.close();
    }
  },
);

test(
  'Ctrl-C during a read stops it at once: InterruptedError, and no retry is sent',
  interruptedRead,
  (res, interrupt) => {
    // the command is interrupted while the service is still answering
    interrupt();
    setTimeout(() => res.writeHead(503).end('busy'), 20);
  },
);

test(
  'Ctrl-C during the wait between retries ends the wait, and no retry is sent',
  interruptedRead,
  (res, interrupt) => {
    res.writeHead(503).end('busy');
    setTimeout(interrupt, 50);
  },
);

test('retries and calls leave no abort listener on the command signal', async (t) => {
  let busy = 2;
  const cloud = await fakeCloud(
    cloudWith((req, res) => {
      if (busy-- > 0) res.writeHead(503).end('busy');
      else res.writeHead(200).end('{"hypervisors":[]}');
    }),
  );
  try {
    const signal = new AbortController().signal;
    const client = await createOpenStackClient(credentials(cloud.base), { signal });
    t.deepEqual(await client.listHypervisors(), []);
    t.deepEqual(await client.listHypervisors(), []);
    t.is(cloud.seen.filter((s) => s.url === HYPERVISORS).length, 4);
    t.is(getEventListeners(signal, 'abort').length, 0);
  } finally {
    await cloud.close();
  }
});

test('an upload refused with 401 (token expired) is sent again with a fresh body and a fresh token', async (t) => {
  const data = Buffer.alloc(256 * 1024, 7);
  let refused = false;
  const cloud = await fakeCloud(
    cloudWith((req, res) => {
      if (req.method === 'PUT' && !refused) {
        refused = true;
        res.writeHead(401).end('{"error":{"message":"token expired"}}');
        return;
      }
      res.writeHead(204).end();
    }),
  );
  try {
    const client = await createOpenStackClient(credentials(cloud.base));
    let bodies = 0;
    await client.uploadImageData('img-1', () => {
      bodies++;
      return Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]);
    });
    const puts = cloud.seen.filter((s) => s.method === 'PUT');
    t.deepEqual(
      puts.map((p) => [p.url, p.headers['x-auth-token'], p.body.length]),
      [
        ['/image/v2/images/img-1/file', 'tok-1', data.length],
        ['/image/v2/images/img-1/file', 'tok-2', data.length],
      ],
    );
    t.is(bodies, 2);
  } finally {
    await cloud.close();
  }
});

test('a success answer that is not JSON is a typed error naming status, content type and first bytes', async (t) => {
  const cloud = await fakeCloud(
    cloudWith((req, res) => {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<html><body>Please log in to the proxy</body></html>');
    }),
  );
  try {
    const client = await createOpenStackClient(credentials(cloud.base));
    const error = await t.throwsAsync(client.listHypervisors(), { instanceOf: OpenStackBodyError });
    t.is(
      error.message,
      'compute GET /v2.1/os-hypervisors/detail answered HTTP 200 with a body that is not JSON (content type text/html, 52 bytes, starting "<html><body>Please log in to the proxy</body></html>"); check that the URL is the service\'s API and not a proxy or web page in front of it.',
    );
    t.is(error.status, 200);
  } finally {
    await cloud.close();
  }
});

test('a failed microversion negotiation is asked again, not remembered', async (t) => {
  let broken = true;
  let tokens = 0;
  const cloud = await fakeCloud((req, res, base) => {
    if (req.url === '/v3/auth/tokens') return issueToken(res, `tok-${++tokens}`, catalog(base));
    if (req.url === '/v2.1/' && broken) {
      broken = false;
      res.writeHead(200).end('<html>starting</html>');
      return;
    }
    res.writeHead(200).end('{"version":{"version":"2.60"}}');
  });
  try {
    const client = await createOpenStackClient(credentials(cloud.base));
    await t.throwsAsync(client.computeMicroversion(), { instanceOf: OpenStackBodyError });
    t.is(await client.computeMicroversion(), '2.60');
    t.is(await client.computeMicroversion(), '2.60');
    t.is(cloud.seen.filter((s) => s.url === '/v2.1/').length, 2);
  } finally {
    await cloud.close();
  }
});

test('withSignal shares the token but stops on its own signal', async (t) => {
  const cloud = await fakeCloud(cloudWith((req, res) => res.writeHead(200).end('{"hypervisors":[]}')));
  try {
    const aborted = new AbortController();
    aborted.abort();
    const client = await createOpenStackClient(credentials(cloud.base));
    t.deepEqual(await client.listHypervisors(), []);
    await t.throwsAsync(client.withSignal(aborted.signal).listHypervisors(), {
      instanceOf: InterruptedError,
    });
    t.deepEqual(await client.withSignal(undefined).listHypervisors(), []);
    t.is(cloud.seen.filter((s) => s.url === '/v3/auth/tokens').length, 1);
  } finally {
    await cloud.close();
  }
});
