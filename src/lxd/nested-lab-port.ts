import type { LabSpec } from '../lab/schema.js';
import { JobError } from '../util/errors.js';
import type { LxdClient } from './client.js';
import { routeCommand, type RouteAccess } from './host-route.js';
import { provisionSteps } from './inner-lxd.js';
import {
  holdsController,
  measureHost,
  modelProfileName,
  parseModelProfile,
  type LxdPort,
} from './lab-port.js';
import { lxcDeviceAdds, lxcEquivalent } from './lxc.js';
import { DASHBOARD_DEVICE, DASHBOARD_LISTEN, hostPort, nestedHostLayout, nestedImage } from './nested.js';

// The LXD port of the 2016 tutorial's layout on a real host: this host's LXD holds one privileged outer
// container; the lab's own LXD, controller and model live inside it, driven through LXD's exec API. The
// outer container is the lab's only instance on this host, so teardown ends by deleting it.

export interface NestedLxdPortInput {
  spec: LabSpec;
  client: () => Promise<LxdClient>;
  env: NodeJS.ProcessEnv;
  profileYaml: () => Promise<string>;
  /** The lab's state folder. */
  labDirectory?: string;
  routes?: RouteAccess;
}

export function nestedLxdPort(input: NestedLxdPortInput): LxdPort {
  const { spec } = input;
  const container = spec.target.container;
  const profileName = modelProfileName(spec.model);
  const lxd = () => import('./index.js');

  const outerAddress = async (client: LxdClient) => {
    const { waitForIpv4 } = await lxd();
    const address = await waitForIpv4(client, container, 120_000, 500);
    if (!address)
      throw new JobError(
        `The outer container ${container} got no IPv4 address on ${spec.lxd.bridge} within 2 minutes; check \`lxc list ${container}\` and the bridge's DHCP (\`lxdstack doctor\`).`,
      );
    return address;
  };

  return {
    preflight: () => measureHost(spec, input.client, 'optional', input.env, input.labDirectory),
    async prepare(ledger) {
      const { preparePoolAndBridge, createNestedHost, startNestedHost, runInnerSteps } = await lxd();
      const client = await input.client();
      // the external bridge is made inside the outer container, as the spell made conjureup0
      const base = await preparePoolAndBridge(spec, { client, ledger, externalBridge: false });
      const host = await createNestedHost(spec, { client, ledger, image: nestedImage(spec) });
      await startNestedHost(client, container);
      const address = await outerAddress(client);
      const ran = await runInnerSteps(client, container, provisionSteps(spec));
      return [
        `pool ${base.pool.name} ${base.pool.created ? 'created' : 'present'}`,
        `bridge ${base.bridge.name} ${base.bridge.created ? 'created' : 'present'}`,
        `outer container ${container} ${host.created ? 'created' : 'present'} at ${address}`,
        ran.length
          ? `inside it: ${ran.length} setup commands ran`
          : 'inside it: LXD and the engine are ready',
      ];
    },
    async preparationMissing() {
      const { poolAndBridgesMissing } = await lxd();
      const client = await input.client();
      // the external bridge and the lab's profile live inside the outer container, which must be running
      const [missing, outer] = await Promise.all([
        poolAndBridgesMissing(spec, client, { externalBridge: false }),
        client.getInstance(container),
      ]);
      if (!outer) return [...missing, `outer container ${container}`];
      return outer.status === 'Running'
        ? missing
        : [...missing, `a running outer container ${container} (it is ${outer.status})`];
    },
    async applyModelProfile() {
      const { applyInnerProfile } = await lxd();
      const report = await applyInnerProfile(
        await input.client(),
        container,
        profileName,
        parseModelProfile(await input.profileYaml()),
      );
      return [
        `profile ${profileName} applied in ${container}`,
        ...report.dropped.map((key) => `LXD dropped ${key}`),
        ...report.changed.map((c) => `LXD changed ${c.key} to ${c.actual ?? '(nothing)'}`),
      ];
    },
    async expose({ ledger, dashboardAddress }) {
      const { innerBridgeCidr, addDashboardProxy, addHostRoute } = await lxd();
      const client = await input.client();
      const cidr = await innerBridgeCidr(client, container, spec.lxd.bridge);
      const notes = [await addHostRoute(ledger, { cidr, via: await outerAddress(client) }, input.routes)];
      if (dashboardAddress) {
        notes.push(
          await addDashboardProxy(client, ledger, {
            instance: container,
            listen: DASHBOARD_LISTEN,
            connect: `tcp:${dashboardAddress}:80`,
          }),
        );
      }
      return notes;
    },
    exposedDashboard(ledger) {
      const listen = ledger.findResource('lxd-device', `${container}/${DASHBOARD_DEVICE}`)?.data?.listen;
      return typeof listen === 'string' ? hostPort(listen) : undefined;
    },
    async removeLabResources(ledger) {
      if (holdsController(ledger))
        return [`outer container ${container} kept: it holds the controller (--keep-controller)`];
      const { removeLabLxdResources } = await lxd();
      const steps = await removeLabLxdResources(ledger, await input.client(), {
        ...(input.routes ? { routes: input.routes } : {}),
      });
      return steps.map((s) => s.command);
    },
    async removeModelLeftovers(model) {
      const { removeInnerModelLeftovers } = await lxd();
      const client = await input.client();
      const state = await client.getInstance(container);
      if (state?.status !== 'Running') return [];
      return removeInnerModelLeftovers(client, container, modelProfileName(model));
    },
    async leftovers(ledger, model) {
      if (holdsController(ledger)) return [];
      const { lxdLeftovers } = await lxd();
      return lxdLeftovers(ledger, await input.client(), model);
    },
    async inventory() {
      const { lxdInventory, execInInstance } = await lxd();
      const client = await input.client();
      const host = await lxdInventory(client);
      if ((await client.getInstance(container))?.status !== 'Running') return host;
      const inner = await execInInstance(client, container, ['lxc', 'list', '--format', 'json'], {
        timeoutMs: 60_000,
        allowFailure: true,
      });
      return `${host}\nInside ${container} (lxc list --format json):\n${inner.stdout || inner.stderr}\n`;
    },
    describe: {
      prepare: () => {
        const layout = nestedHostLayout(spec);
        return [
          lxcEquivalent.storageCreate(spec.lxd.storagePool, spec.lxd.storageDriver) + '  (only if missing)',
          lxcEquivalent.networkCreate(spec.lxd.bridge, {}) + '  (only if missing)',
          lxcEquivalent.init(nestedImage(spec), container, layout.config),
          ...lxcDeviceAdds(container, layout.devices),
          `lxc start ${container}`,
          ...provisionSteps(spec).map(
            (step) => `${lxcEquivalent.exec(container, step.run)}${step.check ? '  (only if missing)' : ''}`,
          ),
        ];
      },
      profile: () =>
        `${lxcEquivalent.exec(container, ['lxc', 'profile', 'set', profileName, '<key>', '<value>'])}  (each key, then each device, then read back)`,
      expose: () => [
        `${routeCommand('replace', `<${spec.lxd.bridge} network inside ${container}>`, `<${container} address>`)}`,
        `${lxcEquivalent.deviceAdd(container, DASHBOARD_DEVICE, { type: 'proxy', listen: DASHBOARD_LISTEN, connect: 'tcp:<dashboard address>:80' })}  (with the dashboard)`,
      ],
    },
  };
}
