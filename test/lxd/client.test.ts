import test from 'ava';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLxdClient } from '../../src/lxd/client.js';
import { findLxdSocket, LxdApiError, socketCandidates } from '../../src/lxd/transport.js';
import { TimeoutError } from '../../src/util/errors.js';
import { fixture, startFakeLxd } from './fake-lxd.js';

test('the socket is $LXD_DIR when set, else the snap path, else the Debian path', (t) => {
  t.deepEqual(socketCandidates({ LXD_DIR: '/srv/lxd' }), ['/srv/lxd/unix.socket']);
  t.is(
    findLxdSocket({}, (p) => p === '/var/lib/lxd/unix.socket'),
    '/var/lib/lxd/unix.socket',
  );
  t.is(
    findLxdSocket({}, () => true),
    '/var/snap/lxd/common/lxd/unix.socket',
  );
  t.is(
    findLxdSocket({}, () => false),
    '/var/snap/lxd/common/lxd/unix.socket',
  );
});

test('sync answers give their metadata; a 404 on a lookup means absent', async (t) => {
  const lxd = await startFakeLxd({
    'GET /1.0': { body: await fixture('server.json') },
    'GET /1.0/networks/nosuchbridge': { status: 404, body: await fixture('error-404-network.json') },
    'GET /1.0/networks/lxdbr0': { body: await fixture('network-lxdbr0.json') },
  });
  t.teardown(lxd.close);
  const client = createLxdClient({ socketPath: lxd.socketPath });
  const server = await client.getServer();
  t.is(server.environment.server_version, '5.0.2');
  t.is(await client.getNetwork('nosuchbridge'), undefined);
  const bridge = await client.getNetwork('lxdbr0');
  t.is(bridge?.config['ipv6.address'], 'none');
});

test("LXD's error body becomes a sentence saying what was being done", async (t) => {
  const lxd = await startFakeLxd({
    'POST /1.0/networks': { status: 400, body: await fixture('error-409-network-create.json') },
  });
  t.teardown(lxd.close);
  const client = createLxdClient({ socketPath: lxd.socketPath });
  const error = await t.throwsAsync(client.createNetwork({ name: 'lxdbr0', config: {} }), {
    instanceOf: LxdApiError,
  });
  t.is(error?.message, 'LXD could not create network lxdbr0: The network already exists.');
  t.deepEqual(JSON.parse(lxd.requests[0]!.body), { type: 'bridge', name: 'lxdbr0', config: {} });
});

test("an async call waits for its operation; a failed operation reports LXD's reason", async (t) => {
  const created = (await fixture('instance-create-async.json')) as { operation: string };
  const lxd = await startFakeLxd({
    'POST /1.0/instances': { status: 202, body: created },
    [`GET ${created.operation}/wait?timeout=120`]: { body: await fixture('operation-success.json') },
    'PUT /1.0/instances/lxdstack-rec/state': {
      status: 202,
      body: { ...created, operation: '/1.0/operations/start-op' },
    },
    'GET /1.0/operations/start-op/wait?timeout=120': { body: await fixture('operation-failure-start.json') },
  });
  t.teardown(lxd.close);
  const client = createLxdClient({ socketPath: lxd.socketPath });
  await client.createInstance({ name: 'lxdstack-rec', source: { type: 'image', alias: 'busybox' } });
  t.is(JSON.parse(lxd.requests[0]!.body).type, 'container');
  const error = await t.throwsAsync(client.setInstanceState('lxdstack-rec', 'start'));
  t.regex(
    error?.message ?? '',
    /^LXD could not start instance lxdstack-rec: Failed to load kernel module 'iptable_nat'/,
  );
});

test('exec returns the exit code and recorded output, and deletes the output files', async (t) => {
  const op = (await fixture('operation-exec.json')) as {
    metadata: { metadata: { output: Record<string, string> } };
  };
  const { output } = op.metadata.metadata;
  const lxd = await startFakeLxd({
    'POST /1.0/instances/lxdstack-rec2/exec': {
      status: 202,
      body: { type: 'async', operation: '/1.0/operations/exec-op' },
    },
    'GET /1.0/operations/exec-op/wait?timeout=5': { body: op },
    [`GET ${output['1']}`]: { body: 'out\n' },
    [`GET ${output['2']}`]: { body: 'err\n' },
    [`DELETE ${output['1']}`]: { body: { type: 'sync', metadata: {} } },
    [`DELETE ${output['2']}`]: { body: { type: 'sync', metadata: {} } },
  });
  t.teardown(lxd.close);
  const client = createLxdClient({ socketPath: lxd.socketPath });
  const result = await client.exec('lxdstack-rec2', ['sh', '-c', 'exit 3'], { timeoutMs: 5_000 });
  t.deepEqual(result, { exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  const sent = JSON.parse(lxd.requests[0]!.body);
  t.deepEqual(sent.command, ['sh', '-c', 'exit 3']);
  t.is(sent['record-output'], true);
  t.is(lxd.requests.filter((r) => r.method === 'DELETE').length, 2);
});

test('a missing socket says what to install; a silent LXD times out with a hint', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-nolxd-'));
  const missing = createLxdClient({ env: { LXD_DIR: dir } });
  const error = await t.throwsAsync(missing.getServer());
  t.regex(
    error?.message ?? '',
    /no LXD socket at .*unix\.socket\. Install LXD \(`apt-get install lxd lxd-client dnsmasq-base` or `snap install lxd`\)/,
  );

  const lxd = await startFakeLxd({ 'GET /1.0': { hang: true, body: null } });
  t.teardown(lxd.close);
  const slow = createLxdClient({ socketPath: lxd.socketPath, timeoutMs: 200 });
  const timeout = await t.throwsAsync(slow.getServer(), { instanceOf: TimeoutError });
  t.regex(
    timeout?.message ?? '',
    /LXD \(read the server information\) did not finish within 200 ms\. .*lxc info/,
  );
});
