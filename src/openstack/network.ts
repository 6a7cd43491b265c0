import { query, type ServiceCall } from './session.js';

// Neutron v2.0: agents, networks, subnets, routers, ports, security-group rules, floating IPs.

export interface NetworkAgent {
  id: string;
  agent_type: string;
  host: string;
  alive: boolean;
  admin_state_up: boolean;
  binary?: string;
}
export interface Network {
  id: string;
  name: string;
  status?: string;
  'router:external'?: boolean;
  subnets?: string[];
}
export interface Subnet {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  gateway_ip?: string | null;
}
export interface Router {
  id: string;
  name: string;
  external_gateway_info?: { network_id: string } | null;
}
export interface SecurityGroup {
  id: string;
  name: string;
  project_id?: string;
  tenant_id?: string;
}
export interface SecurityGroupRule {
  id: string;
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype?: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
}
export interface FloatingIp {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  port_id?: string | null;
}
export interface Port {
  id: string;
  device_id: string;
  device_owner: string;
  network_id: string;
}

export type NetworkApi = ReturnType<typeof networkApi>;

/** The network calls over `call`. */
export function networkApi(call: ServiceCall) {
  const at = (collection: string, id: string) => `/v2.0/${collection}/${encodeURIComponent(id)}`;
  const remove = async (collection: string, id: string) => {
    await call('DELETE', at(collection, id), { accept: [404] });
  };
  return {
    async listAgents(): Promise<NetworkAgent[]> {
      return (await call<{ agents: NetworkAgent[] }>('GET', '/v2.0/agents')).data.agents;
    },

    async listNetworks(filter: { name?: string; external?: boolean } = {}): Promise<Network[]> {
      const params = query({ name: filter.name, 'router:external': filter.external });
      return (await call<{ networks: Network[] }>('GET', `/v2.0/networks${params}`)).data.networks;
    },

    async createNetwork(input: {
      name: string;
      external?: boolean;
      providerNetworkType?: string;
      providerPhysicalNetwork?: string;
      shared?: boolean;
    }): Promise<Network> {
      const network: Record<string, unknown> = { name: input.name, admin_state_up: true };
      if (input.external !== undefined) network['router:external'] = input.external;
      if (input.shared !== undefined) network.shared = input.shared;
      if (input.providerNetworkType) network['provider:network_type'] = input.providerNetworkType;
      if (input.providerPhysicalNetwork) network['provider:physical_network'] = input.providerPhysicalNetwork;
      return (await call<{ network: Network }>('POST', '/v2.0/networks', { json: { network } })).data.network;
    },

    deleteNetwork: (id: string) => remove('networks', id),

    async listSubnets(filter: { name?: string; networkId?: string } = {}): Promise<Subnet[]> {
      const params = query({ name: filter.name, network_id: filter.networkId });
      return (await call<{ subnets: Subnet[] }>('GET', `/v2.0/subnets${params}`)).data.subnets;
    },

    async createSubnet(input: {
      name: string;
      networkId: string;
      cidr: string;
      gatewayIp?: string | null;
      enableDhcp?: boolean;
      dnsNameservers?: string[];
      allocationPools?: { start: string; end: string }[];
    }): Promise<Subnet> {
      const subnet: Record<string, unknown> = {
        name: input.name,
        network_id: input.networkId,
        cidr: input.cidr,
        ip_version: 4,
      };
      if (input.gatewayIp !== undefined) subnet.gateway_ip = input.gatewayIp;
      if (input.enableDhcp !== undefined) subnet.enable_dhcp = input.enableDhcp;
      if (input.dnsNameservers) subnet.dns_nameservers = input.dnsNameservers;
      if (input.allocationPools) subnet.allocation_pools = input.allocationPools;
      return (await call<{ subnet: Subnet }>('POST', '/v2.0/subnets', { json: { subnet } })).data.subnet;
    },

    deleteSubnet: (id: string) => remove('subnets', id),

    async listRouters(filter: { name?: string } = {}): Promise<Router[]> {
      return (await call<{ routers: Router[] }>('GET', `/v2.0/routers${query({ name: filter.name })}`)).data
        .routers;
    },

    async createRouter(input: { name: string; externalNetworkId?: string }): Promise<Router> {
      const router: Record<string, unknown> = { name: input.name, admin_state_up: true };
      if (input.externalNetworkId) router.external_gateway_info = { network_id: input.externalNetworkId };
      return (await call<{ router: Router }>('POST', '/v2.0/routers', { json: { router } })).data.router;
    },

    async addRouterInterface(routerId: string, subnetId: string): Promise<void> {
      await call('PUT', `${at('routers', routerId)}/add_router_interface`, { json: { subnet_id: subnetId } });
    },

    async removeRouterInterface(routerId: string, subnetId: string): Promise<void> {
      await call('PUT', `${at('routers', routerId)}/remove_router_interface`, {
        json: { subnet_id: subnetId },
        accept: [404],
      });
    },

    deleteRouter: (id: string) => remove('routers', id),

    async listPorts(filter: { deviceId?: string; networkId?: string } = {}): Promise<Port[]> {
      const params = query({ device_id: filter.deviceId, network_id: filter.networkId });
      return (await call<{ ports: Port[] }>('GET', `/v2.0/ports${params}`)).data.ports;
    },

    async listSecurityGroups(filter: { name?: string; projectId?: string } = {}): Promise<SecurityGroup[]> {
      const params = query({ name: filter.name, project_id: filter.projectId });
      return (await call<{ security_groups: SecurityGroup[] }>('GET', `/v2.0/security-groups${params}`)).data
        .security_groups;
    },

    async listSecurityGroupRules(securityGroupId: string): Promise<SecurityGroupRule[]> {
      const params = query({ security_group_id: securityGroupId });
      return (
        await call<{ security_group_rules: SecurityGroupRule[] }>(
          'GET',
          `/v2.0/security-group-rules${params}`,
        )
      ).data.security_group_rules;
    },

    async createSecurityGroupRule(input: {
      securityGroupId: string;
      protocol: string;
      portMin?: number;
      portMax?: number;
      remoteIpPrefix?: string;
    }): Promise<SecurityGroupRule> {
      const rule: Record<string, unknown> = {
        security_group_id: input.securityGroupId,
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: input.protocol,
      };
      if (input.portMin !== undefined) rule.port_range_min = input.portMin;
      if (input.portMax !== undefined) rule.port_range_max = input.portMax;
      if (input.remoteIpPrefix) rule.remote_ip_prefix = input.remoteIpPrefix;
      return (
        await call<{ security_group_rule: SecurityGroupRule }>('POST', '/v2.0/security-group-rules', {
          json: { security_group_rule: rule },
        })
      ).data.security_group_rule;
    },

    deleteSecurityGroupRule: (id: string) => remove('security-group-rules', id),

    async createFloatingIp(input: { floatingNetworkId: string; portId?: string }): Promise<FloatingIp> {
      const floatingip: Record<string, unknown> = { floating_network_id: input.floatingNetworkId };
      if (input.portId) floatingip.port_id = input.portId;
      return (await call<{ floatingip: FloatingIp }>('POST', '/v2.0/floatingips', { json: { floatingip } }))
        .data.floatingip;
    },

    async listFloatingIps(filter: { floatingNetworkId?: string } = {}): Promise<FloatingIp[]> {
      const params = query({ floating_network_id: filter.floatingNetworkId });
      return (await call<{ floatingips: FloatingIp[] }>('GET', `/v2.0/floatingips${params}`)).data
        .floatingips;
    },

    deleteFloatingIp: (id: string) => remove('floatingips', id),
  };
}
