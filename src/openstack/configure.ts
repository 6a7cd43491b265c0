import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'yaml';
import type { Ledger, ResourceKind } from '../state/ledger.js';
import type { LabSpec } from '../lab/schema.js';
import { InputError, InterruptedError, JobError, errorMessage } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import type { OpenStackClient } from './client.js';
import {
  EXTERNAL_NETWORK,
  EXTERNAL_PHYSNET,
  EXTERNAL_SUBNET,
  KEYPAIR,
  ROUTER,
  STANDARD_FLAVORS,
  TENANT_NETWORK,
  TENANT_SUBNET,
  firstHost,
  flavorsForHost,
  imagePlan,
  largestHost,
  parseChecksum,
  shellQuote,
  type ChecksumAlgorithm,
  type HostCapacity,
} from './plan.js';

// The post-deploy configuration the 2016 spell's steps did (glance, keypair, neutron), idempotent: each
// resource is looked up by name first and reused; what is created is recorded in the lab's ledger
// (begun before the call, committed with its id after) so that teardown removes exactly that.

export interface ImageSource {
  /** A local file, or */
  path?: string;
  /** a URL to download first. */
  url?: string;
  /** `sha256:HEX` (or md5:/sha512:, or bare hex); verified before the upload. */
  checksum: string;
  /** Defaults to the profile's image name (`xenial-lxd`, `jammy`). */
  name?: string;
}

export interface ConfigureOptions {
  ledger: Ledger;
  image: ImageSource;
  /** The public key text (not a path). */
  sshPublicKey: string;
  /** Where clouds.yaml and novarc go (the lab's directory). */
  outDir: string;
  /** Flavors are sized to this host; by default to the largest hypervisor the cloud reports. */
  host?: HostCapacity;
  /** The tenant network's type when the cloud has no default (e.g. `vlan`); omitted by default. */
  tenantNetworkType?: string;
  timeoutMs?: number;
  /** The command's abort signal: Ctrl-C stops the download and every call, the upload included. */
  signal?: AbortSignal;
}

export interface ConfiguredItem {
  kind: ResourceKind;
  name: string;
  id: string;
  action: 'created' | 'reused';
}

export interface ConfigureReport {
  items: ConfiguredItem[];
  files: string[];
  durationMs: number;
}

type Spec = Pick<LabSpec, 'name' | 'profile' | 'series' | 'network' | 'compute'>;

async function hashFile(
  path: string,
  algorithm: ChecksumAlgorithm,
  signal?: AbortSignal,
): Promise<{ expected: string; sha512: string }> {
  const wanted = createHash(algorithm);
  const sha512 = createHash('sha512');
  try {
    for await (const chunk of createReadStream(path, signal ? { signal } : {})) {
      wanted.update(chunk as Buffer);
      sha512.update(chunk as Buffer);
    }
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError(`Interrupted: checking the image ${path} was stopped.`);
    throw error;
  }
  return { expected: wanted.digest('hex'), sha512: sha512.digest('hex') };
}

async function download(url: string, target: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  let response: Response;
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, { signal: signal ? AbortSignal.any([deadline, signal]) : deadline });
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError('Interrupted: the image download was stopped.');
    throw new JobError(
      `Downloading the image from ${url} failed (${errorMessage(error)}); check the URL, or pass a local file.`,
    );
  }
  if (!response.ok || !response.body)
    throw new JobError(
      `Downloading the image from ${url} failed with HTTP ${response.status}; check the URL.`,
    );
  await mkdir(join(target, '..'), { recursive: true });
  await pipeline(
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>),
    createWriteStream(target, { mode: 0o600 }),
    ...(signal ? [{ signal }] : []),
  );
}

class Configurator {
  readonly items: ConfiguredItem[] = [];
  constructor(
    private readonly client: OpenStackClient,
    private readonly ledger: Ledger,
  ) {}

  /** Reuse `existing` if there is one, else create and record; returns the id. */
  async ensure(
    kind: ResourceKind,
    name: string,
    existing: { id: string } | undefined,
    create: () => Promise<{ id: string }>,
    data: Record<string, unknown> = {},
  ): Promise<string> {
    if (existing) {
      // begun by an earlier run that died before committing: it is ours after all
      const begun = this.ledger.findResource(kind, name);
      if (begun?.state === 'creating')
        await this.ledger.commitResource(begun.id, { ...data, id: existing.id });
      this.items.push({ kind, name, id: existing.id, action: 'reused' });
      return existing.id;
    }
    const record = await this.ledger.beginResource({ kind, name, data });
    const created = await create();
    await this.ledger.commitResource(record.id, { ...data, id: created.id });
    this.items.push({ kind, name, id: created.id, action: 'created' });
    return created.id;
  }

  async image(
    spec: Spec,
    source: ImageSource,
    outDir: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<string> {
    const plan = imagePlan(spec, source.name);
    const checksum = parseChecksum(source.checksum);
    if (!checksum)
      throw new InputError(
        `image checksum "${source.checksum}" is not sha256:HEX, sha512:HEX or md5:HEX; give the checksum published beside the image.`,
      );
    const images = await this.client.listImages({ name: plan.name });
    const active = images.find((i) => i.status === 'active');
    if (active) return this.ensure('openstack-image', plan.name, active, async () => active);
    // a half-uploaded image of ours (an interrupted run) is removed before trying again
    const ours = this.ledger.findResource('openstack-image', plan.name);
    for (const stale of images.filter(
      (i) => i.status !== 'active' && ours && (ours.data?.id === undefined || ours.data.id === i.id),
    )) {
      await this.client.deleteImage(stale.id);
    }
    if (ours) await this.ledger.releaseResource(ours.id);

    let path = source.path;
    let downloaded: string | undefined;
    if (!path) {
      if (!source.url) throw new InputError('image: give a local file (path) or a URL to import.');
      downloaded = join(outDir, 'downloads', `${plan.name}.img`);
      await download(source.url, downloaded, timeoutMs, signal);
      path = downloaded;
    }
    try {
      try {
        await stat(path);
      } catch {
        throw new InputError(`The image file ${path} does not exist; check the path.`);
      }
      const hashes = await hashFile(path, checksum.algorithm, signal);
      if (hashes.expected !== checksum.hex) {
        throw new InputError(
          `The image ${path} has ${checksum.algorithm} ${hashes.expected}, not the expected ${checksum.hex}; the download is corrupt or the checksum is for another file.`,
        );
      }
      return await this.ensure('openstack-image', plan.name, undefined, async () => {
        const image = await this.client.createImage({
          name: plan.name,
          diskFormat: plan.diskFormat,
          containerFormat: plan.containerFormat,
        });
        await this.client.uploadImageData(image.id, () => createReadStream(path));
        const after = await this.client.getImage(image.id);
        if (after?.status !== 'active') {
          throw new JobError(
            `Glance left image ${plan.name} (${image.id}) in status ${after?.status ?? 'deleted'} after the upload; read glance-api's log.`,
          );
        }
        if (after.os_hash_algo === 'sha512' && after.os_hash_value && after.os_hash_value !== hashes.sha512) {
          throw new JobError(
            `Glance stored image ${plan.name} with a different sha512 than the file's; the upload was corrupted, run configure again.`,
          );
        }
        return image;
      });
    } finally {
      if (downloaded) await rm(downloaded, { force: true });
    }
  }
}

/** The OpenStack resources a fresh lab needs, created if missing, reused if present; writes clouds.yaml and novarc (0600). */
export async function configureCloud(
  cloud: OpenStackClient,
  spec: Spec,
  options: ConfigureOptions,
): Promise<ConfigureReport> {
  const started = Date.now();
  const client = options.signal ? cloud.withSignal(options.signal) : cloud;
  const c = new Configurator(client, options.ledger);
  const token = await client.authenticate();
  const net = spec.network;

  await c.image(spec, options.image, options.outDir, options.timeoutMs ?? 30 * 60_000, options.signal);

  const host = options.host ?? largestHost(await client.listHypervisors());
  if (!host)
    throw new JobError(
      'Nova reports no hypervisor, so flavors cannot be sized; check that nova-compute is up, then run configure again.',
    );
  const flavors = await client.listFlavors();
  for (const size of flavorsForHost(host)) {
    await c.ensure(
      'openstack-flavor',
      size.name,
      flavors.find((f) => f.name === size.name),
      () => client.createFlavor(size),
    );
  }

  const publicKey = options.sshPublicKey.trim();
  const keypairs = await client.listKeypairs();
  const keypair = keypairs.find((k) => k.name === KEYPAIR);
  await c.ensure('openstack-keypair', KEYPAIR, keypair ? { id: keypair.name } : undefined, async () => ({
    id: (await client.createKeypair({ name: KEYPAIR, publicKey })).name,
  }));

  const extNetId = await c.ensure(
    'openstack-network',
    EXTERNAL_NETWORK,
    (await client.listNetworks({ name: EXTERNAL_NETWORK }))[0],
    () =>
      client.createNetwork({
        name: EXTERNAL_NETWORK,
        external: true,
        providerNetworkType: 'flat',
        providerPhysicalNetwork: EXTERNAL_PHYSNET,
      }),
  );
  await c.ensure(
    'openstack-subnet',
    EXTERNAL_SUBNET,
    (await client.listSubnets({ name: EXTERNAL_SUBNET, networkId: extNetId }))[0],
    () =>
      client.createSubnet({
        name: EXTERNAL_SUBNET,
        networkId: extNetId,
        cidr: net.externalCidr,
        gatewayIp: net.gateway,
        enableDhcp: false,
        dnsNameservers: net.dnsServers,
        allocationPools: [{ start: net.floatingStart, end: net.floatingEnd }],
      }),
  );
  const tenantNetId = await c.ensure(
    'openstack-network',
    TENANT_NETWORK,
    (await client.listNetworks({ name: TENANT_NETWORK }))[0],
    () =>
      client.createNetwork({
        name: TENANT_NETWORK,
        shared: true,
        ...(options.tenantNetworkType ? { providerNetworkType: options.tenantNetworkType } : {}),
      }),
  );
  const tenantSubnetId = await c.ensure(
    'openstack-subnet',
    TENANT_SUBNET,
    (await client.listSubnets({ name: TENANT_SUBNET, networkId: tenantNetId }))[0],
    () =>
      client.createSubnet({
        name: TENANT_SUBNET,
        networkId: tenantNetId,
        cidr: net.tenantCidr,
        gatewayIp: firstHost(net.tenantCidr),
        dnsNameservers: net.dnsServers,
      }),
  );
  const existingRouter = (await client.listRouters({ name: ROUTER }))[0];
  const routerId = await c.ensure(
    'openstack-router',
    ROUTER,
    existingRouter,
    async () => {
      const router = await client.createRouter({ name: ROUTER, externalNetworkId: extNetId });
      await client.addRouterInterface(router.id, tenantSubnetId);
      return router;
    },
    { subnetId: tenantSubnetId },
  );
  // A router kept while the tenant network was deleted and made again has lost its interface on it.
  if (existingRouter && !(await routerInterfaceOn(client, routerId, tenantNetId))) {
    await client.addRouterInterface(routerId, tenantSubnetId);
    const ours = options.ledger.findResource('openstack-router', ROUTER);
    if (ours) await options.ledger.commitResource(ours.id, { subnetId: tenantSubnetId });
  }

  const groups = await client.listSecurityGroups({ name: 'default', projectId: token.projectId });
  const group = groups[0];
  if (!group)
    throw new JobError(
      `Neutron has no default security group for project ${token.projectId}; check neutron-server's log.`,
    );
  const rules = await client.listSecurityGroupRules(group.id);
  const wanted = [
    { name: 'icmp', protocol: 'icmp' },
    { name: 'ssh', protocol: 'tcp', portMin: 22, portMax: 22 },
  ];
  for (const rule of wanted) {
    const existing = rules.find(
      (r) =>
        r.direction === 'ingress' &&
        r.protocol === rule.protocol &&
        (r.port_range_min ?? undefined) === rule.portMin &&
        (r.remote_ip_prefix === null || r.remote_ip_prefix === '0.0.0.0/0'),
    );
    await c.ensure('openstack-security-group-rule', `default/${rule.name}`, existing, () =>
      client.createSecurityGroupRule({
        securityGroupId: group.id,
        protocol: rule.protocol,
        remoteIpPrefix: '0.0.0.0/0',
        ...(rule.portMin ? { portMin: rule.portMin, portMax: rule.portMax } : {}),
      }),
    );
  }

  const files = await writeClientFiles(client, spec.name, options.outDir, options.ledger);
  return { items: c.items, files, durationMs: Date.now() - started };
}

async function routerInterfaceOn(
  client: OpenStackClient,
  routerId: string,
  networkId: string,
): Promise<boolean> {
  const ports = await client.listPorts({ deviceId: routerId, networkId });
  return ports.some((p) => p.device_owner.startsWith('network:router_interface'));
}

/**
 * What configureCloud made or reused that the cloud no longer has (an image, flavor, keypair, network,
 * subnet, router or the router's interface on the tenant network, removed since), one phrase each;
 * none when it is all still there. Read-only: one list call per kind, in parallel, then the router's
 * ports, so a resumed deploy checks the world and not only the ledger. The flavors looked for are
 * m1.tiny (always made) and those this lab recorded. The security-group rules are not looked at: they
 * hang off the project's default group, which would take two more calls for a rule nobody deletes.
 */
export async function configuredMissing(
  cloud: OpenStackClient,
  spec: Spec,
  ledger: Ledger,
  signal?: AbortSignal,
): Promise<string[]> {
  const client = signal ? cloud.withSignal(signal) : cloud;
  const image = imagePlan(spec).name;
  const [images, flavors, keypairs, networks, subnets, routers] = await Promise.all([
    client.listImages({ name: image }),
    client.listFlavors(),
    client.listKeypairs(),
    client.listNetworks(),
    client.listSubnets(),
    client.listRouters(),
  ]);
  const flavorNames = new Set([
    STANDARD_FLAVORS[0]!.name,
    ...ledger.liveResources('openstack-flavor').map((r) => r.name),
  ]);
  const absent = (kind: string, wanted: Iterable<string>, present: readonly { name: string }[]) =>
    [...wanted].filter((name) => !present.some((p) => p.name === name)).map((name) => `${kind} ${name}`);
  const router = routers.find((r) => r.name === ROUTER);
  const tenant = networks.find((n) => n.name === TENANT_NETWORK);
  const unlinked =
    router && tenant && !(await routerInterfaceOn(client, router.id, tenant.id))
      ? [`router ${ROUTER}'s interface on ${TENANT_NETWORK}`]
      : [];
  return [
    ...(images.some((i) => i.status === 'active') ? [] : [`image ${image}`]),
    ...absent('flavor', flavorNames, flavors),
    ...absent('keypair', [KEYPAIR], keypairs),
    ...absent('network', [EXTERNAL_NETWORK, TENANT_NETWORK], networks),
    ...absent('subnet', [EXTERNAL_SUBNET, TENANT_SUBNET], subnets),
    ...absent('router', [ROUTER], routers),
    ...unlinked,
  ];
}

/** clouds.yaml (cloud named after the lab) and novarc, for the `openstack` CLI; both hold the password, so 0600. */
export async function writeClientFiles(
  client: OpenStackClient,
  cloudName: string,
  outDir: string,
  ledger: Ledger,
): Promise<string[]> {
  const cr = client.credentials;
  const cloud = {
    auth: {
      auth_url: cr.authUrl,
      username: cr.username,
      password: cr.password,
      project_name: cr.projectName,
      user_domain_name: cr.userDomainName,
      project_domain_name: cr.projectDomainName,
    },
    identity_api_version: 3,
    interface: client.endpointInterface,
    ...(client.region ? { region_name: client.region } : {}),
    ...(client.caFile ? { cacert: resolve(client.caFile) } : {}),
  };
  const cloudsPath = join(outDir, 'clouds.yaml');
  await writeFileAtomic(cloudsPath, stringify({ clouds: { [cloudName]: cloud } }), 0o600);
  const lines = [
    ['OS_AUTH_URL', cr.authUrl],
    ['OS_IDENTITY_API_VERSION', '3'],
    ['OS_USERNAME', cr.username],
    ['OS_PASSWORD', cr.password],
    ['OS_PROJECT_NAME', cr.projectName],
    ['OS_USER_DOMAIN_NAME', cr.userDomainName],
    ['OS_PROJECT_DOMAIN_NAME', cr.projectDomainName],
    ['OS_INTERFACE', client.endpointInterface],
    ...(client.region ? [['OS_REGION_NAME', client.region]] : []),
    ...(client.caFile ? [['OS_CACERT', resolve(client.caFile)]] : []),
  ].map(([key, value]) => `export ${key}=${shellQuote(value!)}`);
  const novarcPath = join(outDir, 'novarc');
  await writeFileAtomic(
    novarcPath,
    `# source this file to use the openstack CLI against lab ${cloudName}\n${lines.join('\n')}\n`,
    0o600,
  );
  for (const path of [cloudsPath, novarcPath]) {
    if (!ledger.findResource('file', path))
      await ledger.recordResource({ kind: 'file', name: path, data: { by: 'openstack-configure' } });
  }
  return [cloudsPath, novarcPath];
}

const REMOVAL_ORDER: ResourceKind[] = [
  'openstack-security-group-rule',
  'openstack-router',
  'openstack-subnet',
  'openstack-network',
  'openstack-keypair',
  'openstack-flavor',
  'openstack-image',
];

/** Remove what configureCloud recorded, routers before subnets before networks; each removal is released in the ledger. */
export async function removeCloudResources(
  cloud: OpenStackClient,
  ledger: Ledger,
  signal?: AbortSignal,
): Promise<{ removed: string[] }> {
  const client = signal ? cloud.withSignal(signal) : cloud;
  const removed: string[] = [];
  for (const kind of REMOVAL_ORDER) {
    for (const record of ledger.liveResources(kind).reverse()) {
      const id = record.data?.id as string | undefined;
      if (id !== undefined) {
        switch (kind) {
          case 'openstack-security-group-rule':
            await client.deleteSecurityGroupRule(id);
            break;
          case 'openstack-router': {
            const subnetId = record.data?.subnetId as string | undefined;
            if (subnetId) await client.removeRouterInterface(id, subnetId);
            await client.deleteRouter(id);
            break;
          }
          case 'openstack-subnet':
            await client.deleteSubnet(id);
            break;
          case 'openstack-network':
            await client.deleteNetwork(id);
            break;
          case 'openstack-keypair':
            await client.deleteKeypair(id);
            break;
          case 'openstack-flavor':
            await client.deleteFlavor(id);
            break;
          case 'openstack-image':
            await client.deleteImage(id);
            break;
        }
      } else if (kind === 'openstack-image') {
        // begun but never committed: the image may exist under its name without being active
        for (const image of await client.listImages({ name: record.name }))
          if (image.status !== 'active') await client.deleteImage(image.id);
      }
      await ledger.releaseResource(record.id);
      removed.push(`${kind} ${record.name}`);
    }
  }
  for (const record of ledger.liveResources('file').filter((r) => r.data?.by === 'openstack-configure')) {
    await rm(record.name, { force: true });
    await ledger.releaseResource(record.id);
    removed.push(`file ${record.name}`);
  }
  return { removed };
}
