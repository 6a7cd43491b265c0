import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createOpenStackClient, type OpenStackClient } from '../../src/openstack/client.js';
import type { OpenStackCredentials } from '../../src/openstack/credentials.js';
import {
  EXTERNAL_NETWORK,
  EXTERNAL_SUBNET,
  KEYPAIR,
  ROUTER,
  STANDARD_FLAVORS,
  TENANT_NETWORK,
  TENANT_SUBNET,
} from '../../src/openstack/plan.js';

// The loopback cloud of scripts/openstack-up.sh, for the *.real.test.ts files. Its credentials are the
// script's defaults (OS_SMOKE_PASSWORD overrides the password, as it does for the script).

export const TEST_CLOUD: OpenStackCredentials = {
  authUrl: 'http://127.0.0.1:5000/v3',
  username: 'admin',
  password: process.env.OS_SMOKE_PASSWORD ?? 'smoke-secret',
  projectName: 'admin',
  userDomainName: 'Default',
  projectDomainName: 'Default',
  regionName: 'RegionOne',
};

export const TEST_CLOUD_ENV = {
  OS_AUTH_URL: TEST_CLOUD.authUrl,
  OS_USERNAME: TEST_CLOUD.username,
  OS_PASSWORD: TEST_CLOUD.password,
  OS_PROJECT_NAME: TEST_CLOUD.projectName,
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
  OS_REGION_NAME: 'RegionOne',
};

/** What scripts/compute-up.sh leaves: the test cloud's real compute (libvirt-LXC), its image and flavor. */
export const COMPUTE_STATE = process.env.LXDSTACK_COMPUTE_STATE ?? '/var/lib/lxdstack-compute';
export const TEST_IMAGE_NAME = 'lxdstack-lxc';
export const TEST_FLAVOR_NAME = 'lxdstack.lxc';

/** The root file system image the real compute boots (raw ext4), with its checksum: a lab's image source. */
export async function testImageFile(): Promise<{ path: string; checksum: string; size: number }> {
  const path = join(COMPUTE_STATE, 'images', 'lxc-rootfs.raw');
  try {
    const hex = (await readFile(`${path}.sha256`, 'utf8')).trim();
    return { path, checksum: `sha256:${hex}`, size: (await stat(path)).size };
  } catch {
    throw new Error(
      `The test cloud's instance image ${path} is missing: run \`bash scripts/test-services.sh up\` (it builds it), then the real tests again.`,
    );
  }
}

/** A client for the test cloud; fails (never skips) when its services are not up. */
export async function testCloudClient(): Promise<OpenStackClient> {
  for (const [name, url] of [
    ['Keystone', 'http://127.0.0.1:5000/v3'],
    ['Nova', 'http://127.0.0.1:8774/'],
    ['Glance', 'http://127.0.0.1:9292/versions'],
    ['Neutron', 'http://127.0.0.1:9696/'],
  ] as const) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(5000), headers: { Connection: 'close' } });
    } catch {
      throw new Error(
        `The OpenStack test services are not running (${name} at ${url} did not answer): run \`bash scripts/openstack-up.sh\` first (1-3 min), then the real tests again.`,
      );
    }
  }
  return createOpenStackClient(TEST_CLOUD);
}

/** Remove the lab-named resources from the test cloud, whoever made them, so a run starts from nothing. */
export async function resetLabResources(client: OpenStackClient, imageName: string): Promise<void> {
  for (const router of await client.listRouters({ name: ROUTER })) {
    for (const subnet of await client.listSubnets({ name: TENANT_SUBNET }))
      await client.removeRouterInterface(router.id, subnet.id).catch(() => undefined);
    await client.deleteRouter(router.id);
  }
  for (const external of await client.listNetworks({ name: EXTERNAL_NETWORK })) {
    for (const fip of await client.listFloatingIps({ floatingNetworkId: external.id }))
      await client.deleteFloatingIp(fip.id);
  }
  for (const name of [TENANT_SUBNET, EXTERNAL_SUBNET])
    for (const subnet of await client.listSubnets({ name })) await client.deleteSubnet(subnet.id);
  for (const name of [TENANT_NETWORK, EXTERNAL_NETWORK])
    for (const network of await client.listNetworks({ name })) await client.deleteNetwork(network.id);
  await client.deleteKeypair(KEYPAIR);
  const flavors = await client.listFlavors();
  for (const size of STANDARD_FLAVORS)
    for (const flavor of flavors.filter((f) => f.name === size.name)) await client.deleteFlavor(flavor.id);
  for (const image of await client.listImages({ name: imageName })) await client.deleteImage(image.id);
  const token = await client.authenticate();
  const group = (await client.listSecurityGroups({ name: 'default', projectId: token.projectId }))[0];
  if (group) {
    for (const rule of await client.listSecurityGroupRules(group.id)) {
      if (
        rule.direction === 'ingress' &&
        rule.remote_ip_prefix === '0.0.0.0/0' &&
        (rule.protocol === 'icmp' || (rule.protocol === 'tcp' && rule.port_range_min === 22))
      ) {
        await client.deleteSecurityGroupRule(rule.id);
      }
    }
  }
}
