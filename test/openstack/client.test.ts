import test from 'ava';
import type { ServerResponse } from 'node:http';
import { createOpenStackClient } from '../../src/openstack/client.js';
import { OpenStackApiError, OpenStackAuthError } from '../../src/openstack/errors.js';
import { credentials, fakeCloud, issueToken, type Seen } from './fake-cloud.js';

function catalog(base: string) {
  return [
    {
      type: 'identity',
      name: 'keystone',
      endpoints: [{ interface: 'public', region_id: 'RegionOne', url: `${base}/v3` }],
    },
    {
      type: 'compute',
      name: 'nova',
      endpoints: [
        { interface: 'public', region_id: 'RegionOne', url: `${base}/one/v2.1` },
        { interface: 'internal', region_id: 'RegionOne', url: `${base}/internal/v2.1` },
        { interface: 'public', region_id: 'RegionTwo', url: `${base}/two/v2.1` },
      ],
    },
  ];
}

function keystoneAndNova(options: { maxMicroversion: string; flaky?: number }) {
  let flaky = options.flaky ?? 0;
  return (req: Seen, res: ServerResponse, base: string) => {
    if (req.method === 'POST' && req.url === '/v3/auth/tokens') {
      const auth = JSON.parse(req.body).auth;
      if (auth.identity.password.user.password !== 'right-password') {
        res
          .writeHead(401, { 'Content-Type': 'application/json' })
          .end('{"error":{"code":401,"message":"The request you have made requires authentication."}}');
        return;
      }
      issueToken(res, 'tok-123456', catalog(base));
      return;
    }
    if (req.url?.endsWith('/v2.1/')) {
      res
        .writeHead(200)
        .end(
          JSON.stringify({ version: { id: 'v2.1', version: options.maxMicroversion, min_version: '2.1' } }),
        );
      return;
    }
    if (req.url?.includes('/os-hypervisors/detail')) {
      if (flaky-- > 0) {
        res.writeHead(503).end('busy');
        return;
      }
      res
        .writeHead(200)
        .end(
          '{"hypervisors":[{"id":1,"hypervisor_hostname":"h1","hypervisor_type":"lxd","state":"up","status":"enabled"}]}',
        );
      return;
    }
    if (req.method === 'POST' && req.url?.endsWith('/flavors')) {
      res.writeHead(503).end('{"computeFault":{"message":"try later"}}');
      return;
    }
    res.writeHead(404).end('{"itemNotFound":{"message":"nothing here"}}');
  };
}

test('password auth is project-scoped, every request says Connection: close, and the catalog picks region and interface', async (t) => {
  const cloud = await fakeCloud(keystoneAndNova({ maxMicroversion: '2.93' }));
  try {
    const client = await createOpenStackClient({ ...credentials(cloud.base), regionName: 'RegionTwo' });
    const hypervisors = await client.listHypervisors();
    t.is(hypervisors[0]?.hypervisor_type, 'lxd');
    const auth = JSON.parse(cloud.seen[0]!.body).auth;
    t.deepEqual(auth.scope, { project: { name: 'admin', domain: { name: 'admin_domain' } } });
    t.deepEqual(auth.identity.password.user.domain, { name: 'admin_domain' });
    const call = cloud.seen.find((s) => s.url.includes('os-hypervisors'))!;
    t.is(call.url, '/two/v2.1/os-hypervisors/detail');
    t.is(call.headers['x-auth-token'], 'tok-123456');
    t.is(call.headers['openstack-api-version'], 'compute 2.79');
    for (const s of cloud.seen) t.is(s.headers.connection, 'close');
    const internal = await createOpenStackClient(credentials(cloud.base), { interface: 'internal' });
    t.is(await internal.endpoint('compute'), `${cloud.base}/internal/v2.1`);
  } finally {
    await cloud.close();
  }
});

test('the compute microversion is lowered to what an old cloud supports', async (t) => {
  const cloud = await fakeCloud(keystoneAndNova({ maxMicroversion: '2.25' }));
  try {
    const client = await createOpenStackClient(credentials(cloud.base));
    t.is(await client.computeMicroversion(), '2.25');
  } finally {
    await cloud.close();
  }
});

test('reads are retried on 503, writes are not', async (t) => {
  const cloud = await fakeCloud(keystoneAndNova({ maxMicroversion: '2.93', flaky: 2 }));
  try {
    const client = await createOpenStackClient(credentials(cloud.base));
    t.is((await client.listHypervisors()).length, 1);
    t.is(cloud.seen.filter((s) => s.url.includes('os-hypervisors')).length, 3);
    const error = await t.throwsAsync(client.createFlavor({ name: 'x', ram: 1, vcpus: 1, disk: 1 }), {
      instanceOf: OpenStackApiError,
    });
    t.is(
      error.message,
      'compute POST /one/v2.1/flavors failed with HTTP 503: try later; the service is unavailable; check that it is running.',
    );
    t.is(cloud.seen.filter((s) => s.method === 'POST' && s.url.endsWith('/flavors')).length, 1);
  } finally {
    await cloud.close();
  }
});

test('a wrong password is a clear auth error that does not contain the password', async (t) => {
  const cloud = await fakeCloud(keystoneAndNova({ maxMicroversion: '2.93' }));
  try {
    const client = await createOpenStackClient(credentials(cloud.base, 'wrong-password-9'));
    const error = await t.throwsAsync(client.authenticate(), { instanceOf: OpenStackAuthError });
    t.regex(
      error.message,
      /refused the credentials of user "admin" \(domain admin_domain\) for project "admin" \(HTTP 401\); check/,
    );
    t.notRegex(error.message, /wrong-password-9/);
  } finally {
    await cloud.close();
  }
});

test('an unreachable endpoint says which host to check', async (t) => {
  const client = await createOpenStackClient(credentials('http://127.0.0.1:9'));
  const error = await t.throwsAsync(client.authenticate(), { instanceOf: OpenStackApiError });
  t.regex(error.message, /could not connect .*check that the service at 127\.0\.0\.1:9 is running/);
});
