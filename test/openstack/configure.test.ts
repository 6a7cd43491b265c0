import test from 'ava';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import { createOpenStackClient } from '../../src/openstack/client.js';
import { configureCloud } from '../../src/openstack/configure.js';
import { Ledger } from '../../src/state/ledger.js';
import { InterruptedError } from '../../src/util/errors.js';
import { credentials, fakeCloud, issueToken } from './fake-cloud.js';

test('Ctrl-C stops an image upload that Glance is still taking, and the image stays recorded as begun', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-configure-'));
  const image = join(dir, 'root.tar.gz');
  const bytes = Buffer.alloc(64 * 1024, 1);
  await writeFile(image, bytes);
  const controller = new AbortController();
  const cloud = await fakeCloud((req, res, base) => {
    if (req.url === '/v3/auth/tokens')
      return issueToken(res, 'tok', [
        { type: 'image', name: 'glance', endpoints: [{ interface: 'public', url: `${base}/image` }] },
      ]);
    if (req.method === 'GET' && req.url.startsWith('/image/v2/images?'))
      return void res.writeHead(200).end('{"images":[]}');
    if (req.method === 'POST' && req.url === '/image/v2/images')
      return void res.writeHead(201).end('{"id":"img-1","name":"lab-image","status":"queued"}');
    // the upload: Glance holds the answer (a slow store), and the user presses Ctrl-C
    if (req.method === 'PUT') return void setTimeout(() => controller.abort(), 20);
    res.writeHead(404).end('{}');
  });
  try {
    const ledger = await Ledger.inspect(dir, 'lab');
    const client = await createOpenStackClient(credentials(cloud.base));
    const started = Date.now();
    await t.throwsAsync(
      configureCloud(client, defaultSpec('modern'), {
        ledger,
        image: {
          path: image,
          checksum: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
          name: 'lab-image',
        },
        sshPublicKey: 'ssh-ed25519 AAAA test',
        outDir: dir,
        signal: controller.signal,
      }),
      { instanceOf: InterruptedError, message: /PUT \/image\/v2\/images\/img-1\/file was stopped/ },
    );
    t.true(Date.now() - started < 5000);
    t.is(cloud.seen.filter((s) => s.method === 'PUT').length, 1);
    t.like(ledger.findResource('openstack-image', 'lab-image'), { state: 'creating' });
  } finally {
    await cloud.close();
  }
});
