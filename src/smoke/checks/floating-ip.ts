import type { SmokeCheck } from '../registry.js';

// A floating IP from the external network, associated with the instance's port when it has one.

export const floatingIp: SmokeCheck = {
  name: 'floating-ip',
  group: 'instance',
  suites: ['full'],
  needs: ['instance-boot'],
  blocks: 'no floating IP (see floating-ip)',
  async run({ client, input, facts, created }) {
    const external = input.externalNetworkName
      ? (await client.listNetworks({ name: input.externalNetworkName }))[0]
      : (await client.listNetworks({ external: true }))[0];
    if (!external)
      throw new Error(
        `there is no external network${input.externalNetworkName ? ` ${input.externalNetworkName}` : ''}; run the post-deploy configuration.`,
      );
    const port = (await client.listPorts({ deviceId: facts.server!.id }))[0];
    const fip = await client.createFloatingIp({
      floatingNetworkId: external.id,
      ...(port ? { portId: port.id } : {}),
    });
    created.floatingIps.add(fip.id);
    if (!port)
      return `allocated ${fip.floating_ip_address} from ${external.name}; not associated: the instance has no port (booted without a network)`;
    facts.floatingAddress = fip.floating_ip_address;
    return `${fip.floating_ip_address} from ${external.name} associated with the instance`;
  },
};
