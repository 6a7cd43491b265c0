import { compareMicroversion, query, type ServiceCall } from './session.js';

// Nova v2.1: services, hypervisors, flavors, keypairs, servers. The session adds the microversion headers.

export interface ComputeService {
  id: string | number;
  binary: string;
  host: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  zone?: string;
}
export interface Hypervisor {
  id: string | number;
  hypervisor_hostname: string;
  hypervisor_type?: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  vcpus?: number;
  memory_mb?: number;
  local_gb?: number;
}
export interface Flavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
}
export interface Keypair {
  name: string;
  fingerprint: string;
  public_key?: string;
}
export interface Server {
  id: string;
  name: string;
  status: string;
  fault?: { message: string; code?: number; details?: string };
  addresses?: Record<string, { addr: string; 'OS-EXT-IPS:type'?: string }[]>;
  'OS-EXT-SRV-ATTR:host'?: string;
}

export interface CreateServerInput {
  name: string;
  imageRef: string;
  flavorRef: string;
  /** `none` boots without a port (microversion >= 2.37; the agentless Neutron of the test cloud needs it). */
  networks: 'none' | 'auto' | { uuid: string }[];
  keyName?: string;
  /** Plain text; the client base64-encodes it. */
  userData?: string;
}

export type ComputeApi = ReturnType<typeof computeApi>;

/** The compute calls over `call`; `microversion` is the one the session negotiated. */
export function computeApi(call: ServiceCall, microversion: () => Promise<string>) {
  const at = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;
  return {
    async listComputeServices(): Promise<ComputeService[]> {
      return (await call<{ services: ComputeService[] }>('GET', '/os-services')).data.services;
    },

    async listHypervisors(): Promise<Hypervisor[]> {
      return (await call<{ hypervisors: Hypervisor[] }>('GET', '/os-hypervisors/detail')).data.hypervisors;
    },

    async listFlavors(): Promise<Flavor[]> {
      return (await call<{ flavors: Flavor[] }>('GET', '/flavors/detail?is_public=None')).data.flavors;
    },

    async createFlavor(input: { name: string; ram: number; vcpus: number; disk: number }): Promise<Flavor> {
      return (await call<{ flavor: Flavor }>('POST', '/flavors', { json: { flavor: input } })).data.flavor;
    },

    async deleteFlavor(id: string): Promise<void> {
      await call('DELETE', at('/flavors', id), { accept: [404] });
    },

    async listKeypairs(): Promise<Keypair[]> {
      return (await call<{ keypairs: { keypair: Keypair }[] }>('GET', '/os-keypairs')).data.keypairs.map(
        (k) => k.keypair,
      );
    },

    async createKeypair(input: { name: string; publicKey: string }): Promise<Keypair> {
      return (
        await call<{ keypair: Keypair }>('POST', '/os-keypairs', {
          json: { keypair: { name: input.name, public_key: input.publicKey } },
        })
      ).data.keypair;
    },

    async deleteKeypair(name: string): Promise<void> {
      await call('DELETE', at('/os-keypairs', name), { accept: [404] });
    },

    async createServer(input: CreateServerInput): Promise<{ id: string }> {
      const version = await microversion();
      const server: Record<string, unknown> = {
        name: input.name,
        imageRef: input.imageRef,
        flavorRef: input.flavorRef,
      };
      // before 2.37 `networks` is optional and must be a list; `none`/`auto` are 2.37+
      if (typeof input.networks !== 'string' || compareMicroversion(version, '2.37') >= 0)
        server.networks = input.networks;
      if (input.keyName) server.key_name = input.keyName;
      if (input.userData !== undefined)
        server.user_data = Buffer.from(input.userData, 'utf8').toString('base64');
      return (await call<{ server: { id: string } }>('POST', '/servers', { json: { server } })).data.server;
    },

    /** The server, or undefined once it is gone (404). */
    async getServer(id: string): Promise<Server | undefined> {
      const result = await call<{ server: Server }>('GET', at('/servers', id), { accept: [404] });
      return result.status === 404 ? undefined : result.data.server;
    },

    /** Servers whose name matches the regular expression `nameRegex` (Nova filters by regex). */
    async listServers(nameRegex?: string): Promise<{ id: string; name: string }[]> {
      return (
        await call<{ servers: { id: string; name: string }[] }>(
          'GET',
          `/servers${query({ name: nameRegex })}`,
        )
      ).data.servers;
    },

    async deleteServer(id: string): Promise<void> {
      await call('DELETE', at('/servers', id), { accept: [404] });
    },

    async getConsoleOutput(id: string, length?: number): Promise<string> {
      const json = { 'os-getConsoleOutput': length === undefined ? {} : { length } };
      return (
        (await call<{ output: string }>('POST', `${at('/servers', id)}/action`, { json })).data.output ?? ''
      );
    },
  };
}
