import type { OpenStackClient } from '../../src/openstack/client.js';

// An in-memory OpenStack for the smoke suite's unit tests: just the calls the checks make. Instances go
// ACTIVE on the second look, and their console runs the instance's user-data the way the test asks
// (`console`), so a test decides what every instance prints.

export interface FakeCloudOptions {
  hypervisorType?: string;
  images?: { id: string; name: string; status: string }[];
  /** What an instance's console shows, from its user-data. */
  console?: (userData: string) => string;
  /** Refuse the password. */
  badAuth?: boolean;
}

interface FakeServer {
  id: string;
  name: string;
  userData: string;
  looks: number;
}

export function fakeCloud(
  options: FakeCloudOptions = {},
): OpenStackClient & { servers: Map<string, FakeServer> } {
  const servers = new Map<string, FakeServer>();
  let next = 0;
  const cloud = {
    servers,
    secrets: ['fake-secret'],
    credentials: { authUrl: 'http://fake.invalid:5000/v3' },
    async authenticate() {
      if (options.badAuth) throw new Error('Keystone refused the credentials (HTTP 401)');
      return {
        projectId: 'p1',
        roles: ['admin'],
        catalog: ['identity', 'compute', 'image', 'network'].map((type) => ({ type })),
      };
    },
    async endpoint(type: string) {
      return `http://fake.invalid/${type}`;
    },
    async listHypervisors() {
      return [
        { hypervisor_hostname: 'node-1', hypervisor_type: options.hypervisorType ?? 'lxc', state: 'up' },
      ];
    },
    async listImages(filter: { name?: string } = {}) {
      const images = options.images ?? [{ id: 'img-1', name: 'lxdstack-lxc', status: 'active' }];
      return images.filter((i) => filter.name === undefined || i.name === filter.name);
    },
    async listFlavors() {
      return [{ id: 'f1', name: 'lxdstack.lxc', ram: 128, vcpus: 1, disk: 1 }];
    },
    async listAgents() {
      return [];
    },
    async listNetworks() {
      return [];
    },
    async createServer(input: { name: string; userData?: string }) {
      const id = `srv-${next++}`;
      servers.set(id, { id, name: input.name, userData: input.userData ?? '', looks: 0 });
      return { id };
    },
    async getServer(id: string) {
      const server = servers.get(id);
      if (!server) return undefined;
      server.looks++;
      return {
        id,
        name: server.name,
        status: server.looks > 1 ? 'ACTIVE' : 'BUILD',
        'OS-EXT-SRV-ATTR:host': 'compute-a',
      };
    },
    async getConsoleOutput(id: string) {
      const server = servers.get(id);
      return server && options.console ? options.console(server.userData) : '';
    },
    async listServers(nameRegex?: string) {
      const pattern = nameRegex ? new RegExp(nameRegex) : /./;
      return [...servers.values()].filter((s) => pattern.test(s.name)).map(({ id, name }) => ({ id, name }));
    },
    async deleteServer(id: string) {
      servers.delete(id);
    },
    async deleteFloatingIp() {},
  };
  return cloud as unknown as OpenStackClient & { servers: Map<string, FakeServer> };
}
