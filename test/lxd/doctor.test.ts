import test from 'ava';
import { defaultSpec } from '../../src/lab/defaults.js';
import { gatherFacts, runDoctorChecks, type DoctorProbes } from '../../src/lxd/doctor.js';
import { MemoryLxd } from './memory-lxd.js';

// The doctor's wiring: which probes run when, with the host probes replaced by recorded answers.

function recordedProbes(
  calls: string[],
  server: Awaited<ReturnType<DoctorProbes['server']>>,
): Partial<DoctorProbes> {
  const note =
    <T>(name: string, value: T) =>
    async () => {
      calls.push(name);
      return value;
    };
  return {
    os: note('os', {
      id: 'debian',
      versionId: '12',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.1.0-18-amd64',
    }),
    cpuMemory: note('cpuMemory', { cores: 4, memTotalBytes: 32 * 1024 ** 3, swapTotalBytes: 0 }),
    lxdPackages: note('lxdPackages', { apt: '5.0.2-5' }),
    socket: note('socket', {
      path: '/var/lib/lxd/unix.socket',
      exists: true,
      mode: '0660',
      group: 'lxd',
      accessible: true,
      isRoot: true,
      inGroup: false,
    }),
    server: note('server', server),
    juju: note('juju', { source: 'none' as const }),
    conjureUp: note('conjureUp', { source: 'none' as const }),
    virtualization: note('virtualization', { kind: 'vm' as const, detail: 'QEMU' }),
    kvm: note('kvm', true),
    sysctl: note('sysctl', {}),
    kernelModules: note('kernelModules', { openvswitch: 'loaded' as const }),
    bridge: note('bridge', {
      name: 'lxdbr0',
      type: 'bridge',
      managed: true,
      config: { 'ipv4.address': '10.0.8.1/24', 'ipv4.nat': 'true', 'ipv6.address': 'none' },
    }),
    pool: note('pool', {
      pool: { name: 'default', driver: 'dir', config: {} },
      poolFreeBytes: 100 * 1024 ** 3,
    }),
    containerSmoke: note('containerSmoke', { ok: true, image: 'busybox', ipv4: '10.0.8.9', durationMs: 600 }),
  };
}

test('with LXD down, the LXD-side probes and the smoke are not run', async (t) => {
  const calls: string[] = [];
  const probes = recordedProbes(calls, { error: 'Cannot read the server information: no LXD socket.' });
  const results = await runDoctorChecks(
    { spec: defaultSpec('modern'), containerSmoke: true, env: {} },
    { client: new MemoryLxd(), probes },
  );
  t.false(calls.some((c) => ['bridge', 'pool', 'containerSmoke'].includes(c)));
  t.is(results.find((r) => r.id === 'lxd-daemon')?.status, 'fail');
});

test('with LXD up, the smoke runs only when asked, and conjure-up is probed only for its engine', async (t) => {
  const calls: string[] = [];
  const probes = recordedProbes(calls, { version: '5.0.2', storage: 'dir' });
  const facts = await gatherFacts(
    { spec: defaultSpec('tutorial-2016'), containerSmoke: false, env: {} },
    { client: new MemoryLxd(), probes },
  );
  t.true(calls.includes('bridge') && calls.includes('pool'));
  t.false(calls.includes('containerSmoke') || calls.includes('conjureUp'));
  t.is(facts.smoke, undefined);

  calls.length = 0;
  const spec = { ...defaultSpec('tutorial-2016'), engine: 'conjure-up' as const };
  const results = await runDoctorChecks(
    { spec, containerSmoke: true, env: {} },
    { client: new MemoryLxd(), probes },
  );
  t.true(calls.includes('containerSmoke') && calls.includes('conjureUp'));
  t.is(results.find((r) => r.id === 'container-smoke')?.status, 'pass');
});

test('proxy settings come from the lab when it has them, else from the environment', async (t) => {
  const probes = recordedProbes([], { version: '5.0.2' });
  const input = {
    spec: defaultSpec('modern'),
    containerSmoke: false,
    env: { https_proxy: 'http://squid:3128', no_proxy: '10.0.8.0/24' },
  };
  const fromEnv = await gatherFacts(input, { client: new MemoryLxd(), probes });
  t.deepEqual(fromEnv.proxy, { https: 'http://squid:3128', noProxy: '10.0.8.0/24', from: 'environment' });
  const lab = { ...input, spec: { ...input.spec, proxy: { http: 'http://lab-proxy:8080' } } };
  t.deepEqual((await gatherFacts(lab, { client: new MemoryLxd(), probes })).proxy, {
    http: 'http://lab-proxy:8080',
    from: 'lab',
  });
});
