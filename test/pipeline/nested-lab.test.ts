import test from 'ava';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LxdClient } from '../../src/lxd/client.js';
import { lxdExecRunner } from '../../src/lxd/exec-runner.js';
import type { RouteAccess } from '../../src/lxd/host-route.js';
import { deploySteps } from '../../src/pipeline/deploy-steps.js';
import { jujuPort, nestedJujuPort } from '../../src/pipeline/juju-adapter.js';
import { Ledger } from '../../src/state/ledger.js';
import { nestedLxdPort } from '../../src/lxd/nested-lab-port.js';
import type { LabPorts } from '../../src/pipeline/ports.js';
import { planLab } from '../../src/pipeline/render.js';
import { runStepList } from '../../src/pipeline/task-list.js';
import { teardownSteps } from '../../src/pipeline/teardown-steps.js';
import { readSimState } from '../../src/sim/state.js';
import { simulatorEnv } from '../../src/sim/env.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { runCommand } from '../../src/util/run.js';
import { MemoryLxd } from '../lxd/memory-lxd.js';
import { captureContext } from './context.js';
import { fakePorts, newWorld } from './fake-ports.js';

// The nested layout's orchestration end to end: the outer container is an in-memory LXD instance whose
// exec API runs juju (the simulator) and file commands on this host, and answers the inner LXD's `lxc`,
// `lxd` and `snap` from a script. Everything above the LXD client is the real code: the exec runner,
// the juju client and port, the nested LXD port, the deploy and teardown steps and the ledger. (A real
// outer container cannot start on this CI host: its kernel cannot load the tutorial's modules.)

const INNER_CIDR = '10.20.30.0/24';

class HostContainerLxd extends MemoryLxd {
  override async exec(
    name: string,
    argv: readonly string[],
    options: { env?: Record<string, string>; timeoutMs?: number } = {},
  ) {
    const command = argv[0] === 'timeout' ? argv[4] : argv[0];
    if (command === 'juju' || command === 'mkdir' || command === 'rm') {
      this.execs.push({ name, argv });
      if (this.instances.get(name)?.status !== 'Running') throw new Error(`instance ${name} is not running`);
      const result = await runCommand(argv[0]!, argv.slice(1), {
        timeoutMs: options.timeoutMs ?? 60_000,
        env: options.env ?? {},
      });
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    }
    return super.exec(name, argv);
  }
  override async pushFile(name: string, path: string, content: string | Buffer, mode?: number) {
    await super.pushFile(name, path, content, mode);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, { mode: mode ?? 0o600 });
  }
  override async getInstanceState(name: string) {
    const { status } = await super.getInstanceState(name);
    return {
      status,
      network:
        status === 'Running'
          ? { eth0: { addresses: [{ family: 'inet', address: '10.99.0.10', scope: 'global' }] } }
          : {},
    } as Awaited<ReturnType<LxdClient['getInstanceState']>>;
  }
}

test('a nested-container lab deploys with juju inside the outer container, is exposed, and teardown removes it all', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-nested-lab-'));
  const spec = {
    ...defaultSpec('tutorial-2016'),
    target: { kind: 'nested-container' as const, cloud: 'localhost', container: 'openstack' },
  };
  const plan = await planLab(spec, dir, 'S3cret-admin-pw', { hasKvm: false });
  const lxd = new HostContainerLxd();
  lxd.execCodes.set('juju version', 127);
  lxd.execOutputs.set('lxc network get lxdbr0 ipv4.address', '10.20.30.1/24\n');
  lxd.execOutputs.set('lxc list --format json', '[]');
  const routes = new Map<string, string>();
  const routeAccess: RouteAccess = {
    replace: async (cidr, via) => void routes.set(cidr, via),
    remove: async (cidr) => void routes.delete(cidr),
  };
  const simDir = join(dir, 'sim');
  const runner = lxdExecRunner(lxd, 'openstack', {
    env: { ...simulatorEnv(simDir), LXDSTACK_SIM_JUJU_VERSION: '2.9.46' } as Record<string, string>,
    stageDir: join(dir, 'inside-openstack'),
  });
  const ports = (): LabPorts => ({
    juju: nestedJujuPort(
      jujuPort({ env: {}, flavour: '2.9', settleMs: 0, runner: async () => runner }),
      async () => lxd.instances.get('openstack')?.status === 'Running',
    ),
    conjure: fakePorts(newWorld(), []).conjure,
    lxd: {
      ...nestedLxdPort({
        spec,
        client: async () => lxd,
        env: {},
        profileYaml: async () => plan.paths.profileYaml,
        routes: routeAccess,
      }),
      // The host checks are doctor's (tested on their own); this host cannot pass the nested ones.
      preflight: async () => [],
    },
    cloud: { ...fakePorts({ ...newWorld(), configureUnavailable: 'no endpoint in this test' }, []).cloud },
  });

  const ledger = await Ledger.open(dir, spec.name, 'deploy');
  const { ctx, stdout } = captureContext(dir);
  await runStepList(
    deploySteps({
      spec,
      ledger,
      ports: ports(),
      rendered: plan.paths,
      simulated: false,
      waitTimeoutMs: 60_000,
      labDirectory: dir,
    }),
    ledger,
    ctx,
    { resumeCommand: 'lxdstack deploy', secrets: [], retryDelayMs: 0 },
  );

  // The outer container has the tutorial's settings and juju was installed in it, not on this host.
  const outer = lxd.instances.get('openstack');
  t.is(outer?.config['security.nesting'], 'true');
  t.is(outer?.status, 'Running');
  const ran = lxd.execs.map((e) => e.argv.join(' '));
  t.true(ran.includes('snap install juju --classic --channel=2.9/stable'));
  t.true(ran.includes('lxc profile set juju-openstack security.nesting true'));
  // juju ran through the exec API, against the bundle pushed into the container.
  t.true(ran.some((c) => c.startsWith('timeout -k 10 ') && c.includes(' juju bootstrap localhost lxdstack')));
  t.true(
    ran.some((c) =>
      c.includes(` juju deploy -m lxdstack:openstack ${join(dir, 'inside-openstack', 'bundle.yaml')}`),
    ),
  );
  const state = await readSimState(simDir);
  t.is(Object.keys(state.controllers.lxdstack?.models.openstack?.applications ?? {}).length, 15);
  // Exposed: a host route to the inner bridge via the outer container, the dashboard on a proxy device.
  t.deepEqual([...routes], [[INNER_CIDR, '10.99.0.10']]);
  const proxy = lxd.instances.get('openstack')?.devices['lxdstack-dashboard'];
  t.is(proxy?.listen, 'tcp:127.0.0.1:8080');
  t.regex(proxy?.connect ?? '', /^tcp:10\.\d+\.\d+\.\d+:80$/);
  t.is(ports().lxd.exposedDashboard?.(ledger), '127.0.0.1:8080');
  t.deepEqual(
    ledger.liveResources().map((r) => `${r.kind}:${r.name}`),
    [
      'lxd-pool:default',
      'lxd-network:lxdbr0',
      'lxd-instance:openstack',
      'controller:lxdstack',
      'model:lxdstack:openstack',
      `host-route:${INNER_CIDR}`,
      'lxd-device:openstack/lxdstack-dashboard',
    ],
  );
  t.regex(stdout(), /Expose the cloud to this host/);

  // Teardown: the model and controller through the exec API, then the route, the device and the container.
  const down = await Ledger.open(dir, spec.name, 'teardown');
  let leftovers: string[] = ['not checked'];
  await runStepList(
    teardownSteps({
      ledger: down,
      ports: ports(),
      model: spec.model,
      keepController: false,
      remoteTarget: false,
      gracefulTimeoutMs: 60_000,
      onLeftovers: (found) => (leftovers = found),
    }),
    down,
    captureContext(dir).ctx,
    { resumeCommand: 'lxdstack teardown', secrets: [], retryDelayMs: 0 },
  );
  t.deepEqual(leftovers, []);
  t.deepEqual(down.liveResources(), []);
  t.false(lxd.instances.has('openstack'));
  t.deepEqual([...routes], []);
  t.deepEqual(Object.keys((await readSimState(simDir)).controllers), []);
});

test('with the outer container gone, its controller and models read as absent (teardown can finish)', async (t) => {
  const lxd = new HostContainerLxd();
  const port = nestedJujuPort(
    jujuPort({
      env: {},
      flavour: '2.9',
      settleMs: 0,
      runner: async () => lxdExecRunner(lxd, 'openstack'),
    }),
    async () => lxd.instances.get('openstack')?.status === 'Running',
  );
  t.is(await port.controllerHealth('lxdstack'), 'absent');
  t.false(await port.modelExists('lxdstack', 'openstack'));
  t.deepEqual(lxd.execs, []);
});
