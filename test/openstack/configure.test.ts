import test from 'ava';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import { createOpenStackClient, type OpenStackClient } from '../../src/openstack/client.js';
import { configureCloud, configuredMissing } from '../../src/openstack/configure.js';
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

/** An in-memory OpenStack holding objects by kind, with just the calls configure makes. */
function memoryCloud() {
  let next = 0;
  const id = () => `id-${++next}`;
  const objects = {
    images: [] as { id: string; name: string; status: string }[],
    flavors: [] as { id: string; name: string }[],
    keypairs: [] as { name: string }[],
    networks: [] as { id: string; name: string }[],
    subnets: [] as { id: string; name: string; network_id: string }[],
    routers: [] as { id: string; name: string }[],
    ports: [] as { id: string; device_id: string; device_owner: string; network_id: string }[],
    rules: [] as { id: string; direction: 'ingress'; protocol: string; port_range_min: number | null }[],
  };
  const named = <T extends { name: string }>(list: T[], name?: string) =>
    list.filter((o) => name === undefined || o.name === name);
  const client = {
    credentials: credentials('http://memory'),
    endpointInterface: 'public',
    region: undefined,
    caFile: undefined,
    withSignal: () => client,
    authenticate: async () => ({ projectId: 'p1' }),
    listImages: async ({ name }: { name?: string } = {}) => named(objects.images, name),
    createImage: async ({ name }: { name: string }) => {
      const image = { id: id(), name, status: 'queued' };
      objects.images.push(image);
      return image;
    },
    uploadImageData: async (imageId: string) => {
      objects.images.find((i) => i.id === imageId)!.status = 'active';
    },
    getImage: async (imageId: string) => objects.images.find((i) => i.id === imageId),
    deleteImage: async (imageId: string) => {
      objects.images = objects.images.filter((i) => i.id !== imageId);
    },
    listFlavors: async () => objects.flavors,
    createFlavor: async ({ name }: { name: string }) => {
      const flavor = { id: id(), name };
      objects.flavors.push(flavor);
      return flavor;
    },
    listKeypairs: async () => objects.keypairs,
    createKeypair: async ({ name }: { name: string }) => {
      objects.keypairs.push({ name });
      return { name };
    },
    listNetworks: async ({ name }: { name?: string } = {}) => named(objects.networks, name),
    createNetwork: async ({ name }: { name: string }) => {
      const network = { id: id(), name };
      objects.networks.push(network);
      return network;
    },
    listSubnets: async ({ name, networkId }: { name?: string; networkId?: string } = {}) =>
      named(objects.subnets, name).filter((s) => networkId === undefined || s.network_id === networkId),
    createSubnet: async ({ name, networkId }: { name: string; networkId: string }) => {
      const subnet = { id: id(), name, network_id: networkId };
      objects.subnets.push(subnet);
      return subnet;
    },
    listRouters: async ({ name }: { name?: string } = {}) => named(objects.routers, name),
    createRouter: async ({ name }: { name: string }) => {
      const router = { id: id(), name };
      objects.routers.push(router);
      return router;
    },
    addRouterInterface: async (routerId: string, subnetId: string) => {
      const subnet = objects.subnets.find((s) => s.id === subnetId)!;
      objects.ports.push({
        id: id(),
        device_id: routerId,
        device_owner: 'network:router_interface',
        network_id: subnet.network_id,
      });
    },
    listPorts: async ({ deviceId, networkId }: { deviceId?: string; networkId?: string } = {}) =>
      objects.ports.filter(
        (p) =>
          (deviceId === undefined || p.device_id === deviceId) &&
          (networkId === undefined || p.network_id === networkId),
      ),
    listSecurityGroups: async () => [{ id: 'sg-1', name: 'default' }],
    listSecurityGroupRules: async () => objects.rules,
    createSecurityGroupRule: async ({ protocol, portMin }: { protocol: string; portMin?: number }) => {
      const rule = { id: id(), direction: 'ingress' as const, protocol, port_range_min: portMin ?? null };
      objects.rules.push(rule);
      return rule;
    },
  };
  return { objects, client: client as unknown as OpenStackClient };
}

test('configure is undone behind its back: what is gone is named, and configure makes it again', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-configure-'));
  const image = join(dir, 'root.img');
  await writeFile(image, 'an image');
  const spec = defaultSpec('modern');
  const ledger = await Ledger.open(dir, 'lab', 'deploy');
  const { objects, client } = memoryCloud();
  const configure = () =>
    configureCloud(client, spec, {
      ledger,
      image: { path: image, checksum: `sha256:${createHash('sha256').update('an image').digest('hex')}` },
      sshPublicKey: 'ssh-ed25519 AAAA test',
      outDir: dir,
      host: { vcpus: 2, ramMiB: 4096, diskGiB: 40 },
    });
  await configure();
  t.deepEqual(await configuredMissing(client, spec, ledger), []);

  // Deleted by hand: the image, a flavor, and the tenant network (its router interface first, as
  // Neutron insists), leaving the router.
  const tenant = objects.networks.find((n) => n.name === 'ubuntu-net')!;
  objects.images = [];
  objects.flavors = objects.flavors.filter((f) => f.name !== 'm1.small');
  objects.ports = objects.ports.filter((p) => p.network_id !== tenant.id);
  objects.subnets = objects.subnets.filter((s) => s.network_id !== tenant.id);
  objects.networks = objects.networks.filter((n) => n !== tenant);
  t.deepEqual(await configuredMissing(client, spec, ledger), [
    `image ${spec.series}`,
    'flavor m1.small',
    'network ubuntu-net',
    'subnet ubuntu-subnet',
  ]);

  await configure();
  t.deepEqual(
    await configuredMissing(client, spec, ledger),
    [],
    'the kept router is linked to the new network',
  );
  const router = objects.routers.find((r) => r.name === 'ubuntu-router')!;
  const subnet = objects.subnets.find((s) => s.name === 'ubuntu-subnet')!;
  t.like(ledger.findResource('openstack-router', 'ubuntu-router'), { data: { subnetId: subnet.id } });
  t.is(objects.ports.filter((p) => p.device_id === router.id).length, 1);
});
