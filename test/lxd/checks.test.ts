import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { defaultSpec } from '../../src/lab/defaults.js';
import type { LabSpec } from '../../src/lab/schema.js';
import {
  checksPassed,
  evaluateChecks,
  requiredKernelModules,
  type CheckResult,
  type HostFacts,
} from '../../src/lxd/checks.js';
import { bridgeCidr, noProxyCovers } from '../../src/lxd/network-checks.js';
import { dpkgInstalledVersion } from '../../src/lxd/probes.js';
import type { LabFacts } from '../../src/lxd/lab-checks.js';
import type { LxdNetwork, LxdStoragePool } from '../../src/lxd/types.js';

// The doctor's judgement on recorded facts: the bridge and pool are LXD 5.0.2's own answers.

const recorded = <T>(name: string) =>
  (JSON.parse(readFileSync(new URL(`../fixtures/lxd/${name}`, import.meta.url), 'utf8')) as { metadata: T })
    .metadata;

const GiB = 1024 ** 3;

function healthyFacts(): HostFacts {
  return {
    os: { id: 'ubuntu', versionId: '22.04', prettyName: 'Ubuntu 22.04.4 LTS', kernel: '5.15.0-101-generic' },
    cores: 8,
    memTotalBytes: 32 * GiB,
    swapTotalBytes: 8 * GiB,
    lxdPackages: { snap: '5.21.1' },
    socket: {
      path: '/var/snap/lxd/common/lxd/unix.socket',
      exists: true,
      mode: '0660',
      group: 'lxd',
      accessible: true,
      isRoot: false,
      inGroup: true,
    },
    server: { version: '5.21.1', storage: 'dir' },
    juju: { source: 'path', path: '/snap/bin/juju', version: '2.9.49-ubuntu-amd64' },
    bridge: {
      ...recorded<LxdNetwork>('network-lxdbr0.json'),
      config: { 'ipv4.address': '10.203.91.1/24', 'ipv4.nat': 'true', 'ipv6.address': 'none' },
    },
    pool: recorded<LxdStoragePool>('pool-default.json'),
    poolFreeBytes: 200 * GiB,
    virtualization: { kind: 'none', detail: '' },
    kvm: true,
    sysctl: {
      'fs.inotify.max_user_instances': '1048576',
      'fs.inotify.max_user_watches': '1048576',
      'fs.inotify.max_queued_events': '1048576',
      'vm.max_map_count': '262144',
      'kernel.keys.maxkeys': '2000',
      'kernel.keys.maxbytes': '2000000',
    },
    kernelModules: { openvswitch: 'loaded', nbd: 'loadable', ip_tables: 'loaded', ip6_tables: 'loaded' },
    proxy: { from: 'none' },
    smoke: { ok: true, image: 'busybox', ipv4: '10.203.91.50', durationMs: 700 },
  };
}

const tutorial = defaultSpec('tutorial-2016');
const run = (facts: HostFacts, spec: LabSpec = tutorial, juju: 'needed' | 'optional' = 'needed') =>
  evaluateChecks(spec, facts, { juju, containerSmoke: true });
const byId = (results: CheckResult[], id: string) => {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

test('a healthy host passes every check, with the measured value shown', (t) => {
  const results = run(healthyFacts());
  t.deepEqual(
    results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.measured}`),
    [],
  );
  t.true(checksPassed(results));
  t.is(byId(results, 'memory').measured, '32 GiB (the profile budgets 16 GiB)');
  t.is(byId(results, 'container-smoke').measured, 'launched busybox, got IPv4 10.203.91.50, deleted (0.7 s)');
  t.false(
    results.some((r) => r.id === 'conjure-up'),
    'conjure-up is only checked for the conjure-up engine',
  );
});

test('IPv6 on the bridge fails for Juju 2.9 profiles and warns for Juju 3, with the lxc fix', (t) => {
  const facts = healthyFacts();
  facts.bridge!.config['ipv6.address'] = 'fd42:4c81:5770:1eaf::1/64';
  const old = byId(run(facts), 'bridge-ipv6');
  t.is(old.status, 'fail');
  t.is(old.fix, 'lxc network set lxdbr0 ipv6.address=none');
  t.deepEqual(old.change, {
    kind: 'lxd-network-config',
    network: 'lxdbr0',
    key: 'ipv6.address',
    value: 'none',
  });
  const modernFacts = {
    ...facts,
    juju: { source: 'path' as const, path: '/snap/bin/juju', version: '3.6.11-genericlinux-amd64' },
  };
  t.is(byId(run(modernFacts, defaultSpec('modern')), 'bridge-ipv6').status, 'warn');
});

test('the recorded test bridge (no NAT) warns and offers ipv4.nat=true; a missing bridge fails with a create', (t) => {
  const facts = healthyFacts();
  facts.bridge = recorded<LxdNetwork>('network-lxdbr0.json');
  const nat = byId(run(facts), 'bridge-ipv4');
  t.is(nat.status, 'warn');
  t.is(nat.fix, 'lxc network set lxdbr0 ipv4.nat=true');
  facts.bridge = null;
  const missing = byId(run(facts), 'bridge');
  t.is(missing.status, 'fail');
  t.is(
    missing.fix,
    'lxc network create lxdbr0 ipv4.address=auto ipv4.nat=true ipv6.address=none bridge.mtu=1500',
  );
  t.false(
    run(facts).some((r) => r.id === 'bridge-ipv6'),
    'no per-setting checks of a bridge that does not exist',
  );
});

test("an MTU other than the lab's warns with the exact setting", (t) => {
  const spec = { ...tutorial, lxd: { ...tutorial.lxd, mtu: 9000 } };
  const mtu = byId(run(healthyFacts(), spec), 'bridge-mtu');
  t.is(mtu.status, 'warn');
  t.is(mtu.fix, 'lxc network set lxdbr0 bridge.mtu=9000');
});

test('apt and snap LXD side by side fail; no LXD at all says what to install and skips the LXD checks', (t) => {
  const facts = healthyFacts();
  facts.lxdPackages = { apt: '5.0.2-5', snap: '5.21.1' };
  const both = byId(run(facts), 'lxd-installed');
  t.is(both.status, 'fail');
  t.regex(both.measured, /both the apt package \(5\.0\.2-5\) and the snap \(5\.21\.1\)/);

  facts.lxdPackages = {};
  facts.server = { error: 'Cannot read the server information: no LXD socket at /var/lib/lxd/unix.socket.' };
  facts.socket = {
    path: '/var/lib/lxd/unix.socket',
    exists: false,
    accessible: false,
    isRoot: true,
    inGroup: false,
  };
  const results = run(facts);
  t.regex(
    byId(results, 'lxd-installed').fix ?? '',
    /snap install lxd.*apt-get install lxd lxd-client dnsmasq-base/,
  );
  t.is(byId(results, 'lxd-daemon').status, 'fail');
  t.false(results.some((r) => ['bridge', 'storage-pool', 'disk', 'container-smoke'].includes(r.id)));
  t.false(checksPassed(results));
});

test("juju: missing fails with the install line of the profile's Juju; optional only warns; a wrong major fails", (t) => {
  const facts = { ...healthyFacts(), juju: { source: 'none' as const } };
  t.is(byId(run(facts), 'juju').fix, 'Install Juju 2.9: `snap install juju --classic --channel=2.9/stable`.');
  t.is(
    byId(run(facts, defaultSpec('modern')), 'juju').fix,
    'Install Juju 3.6: `snap install juju --channel=3.6/stable`.',
  );
  t.is(byId(run(facts, tutorial, 'optional'), 'juju').status, 'warn');
  const three = {
    ...healthyFacts(),
    juju: { source: 'path' as const, path: '/snap/bin/juju', version: '3.6.11-genericlinux-amd64' },
  };
  const wrong = byId(run(three), 'juju');
  t.is(wrong.status, 'fail');
  t.regex(wrong.fix ?? '', /cs: charms need 2\.9/);
});

test('juju named by LXDSTACK_JUJU is reported as such', (t) => {
  const facts = {
    ...healthyFacts(),
    juju: { source: 'env' as const, path: '/opt/sim/juju', version: '2.9.49-ubuntu-amd64' },
  };
  const juju = byId(run(facts), 'juju');
  t.is(juju.status, 'pass');
  t.regex(
    juju.measured,
    /^LXDSTACK_JUJU=\/opt\/sim\/juju \(a stand-in such as the simulator\) reports 2\.9\.49/,
  );
});

test('storage: zfs and btrfs warn with their reason, more firmly when nesting; a missing pool offers a dir pool', (t) => {
  const facts = healthyFacts();
  facts.pool = { ...facts.pool!, driver: 'zfs' };
  const zfs = byId(run(facts), 'storage-pool');
  t.is(zfs.status, 'warn');
  t.regex(zfs.measured, /^driver zfs: ZFS datasets cannot be used by the LXD nested inside a container/);
  facts.pool = { ...facts.pool, driver: 'btrfs' };
  const nested = { ...tutorial, target: { ...tutorial.target, kind: 'nested-container' as const } };
  t.regex(byId(run(facts, nested), 'storage-pool').fix ?? '', /required when nesting/);
  facts.pool = null;
  const missing = byId(run(facts), 'storage-pool');
  t.is(missing.status, 'fail');
  t.deepEqual(missing.change, { kind: 'lxd-pool', name: 'default', driver: 'dir' });
});

test("budgets: below the profile's budget warns, below half of it fails", (t) => {
  const facts = {
    ...healthyFacts(),
    cores: 2,
    memTotalBytes: 6 * GiB,
    swapTotalBytes: 0,
    poolFreeBytes: 40 * GiB,
  };
  const results = run(facts);
  t.is(byId(results, 'cpu').status, 'warn');
  t.is(byId(results, 'memory').status, 'fail');
  t.is(byId(results, 'swap').status, 'warn');
  t.is(byId(results, 'disk').status, 'warn');
  t.is(byId(results, 'disk').measured, '40 GiB free (the profile budgets 60 GiB)');
});

test("sysctl limits below the guide's values warn, each with its change", (t) => {
  const facts = healthyFacts();
  facts.sysctl['fs.inotify.max_user_instances'] = '128';
  const check = byId(run(facts), 'sysctl:fs.inotify.max_user_instances');
  t.is(check.status, 'warn');
  t.is(check.fix, 'sysctl -w fs.inotify.max_user_instances=1048576 (and persist it in /etc/sysctl.d/)');
  t.deepEqual(check.change, { kind: 'sysctl', key: 'fs.inotify.max_user_instances', value: '1048576' });
});

test("kernel modules LXD cannot load fail; the nested layout adds the tutorial's modules", (t) => {
  const facts = {
    ...healthyFacts(),
    kernelModules: { openvswitch: 'missing' as const, nbd: 'loaded' as const },
  };
  const check = byId(run(facts), 'kernel-modules');
  t.is(check.status, 'fail');
  t.is(
    check.fix,
    'Load them before deploying (`modprobe openvswitch`), or use a kernel that has them (install kmod and linux-modules-extra).',
  );
  const nested = { ...tutorial, target: { ...tutorial.target, kind: 'nested-container' as const } };
  t.deepEqual(requiredKernelModules(nested), [
    'openvswitch',
    'nbd',
    'ip_tables',
    'ip6_tables',
    'netlink_diag',
    'iptable_nat',
    'ip6table_nat',
    'ebtables',
  ]);
});

test('a proxy needs the bridge CIDR in no_proxy', (t) => {
  const facts = {
    ...healthyFacts(),
    proxy: { http: 'http://proxy:3128', noProxy: 'localhost,127.0.0.1', from: 'environment' as const },
  };
  const missing = byId(run(facts), 'proxy');
  t.is(missing.status, 'warn');
  t.regex(missing.fix ?? '', /^Add 10\.203\.91\.0\/24 to no_proxy/);
  facts.proxy.noProxy = 'localhost,10.203.0.0/16';
  t.is(byId(run(facts), 'proxy').status, 'pass');
});

test('no_proxy covers a CIDR given itself or any wider network containing it', (t) => {
  t.deepEqual(bridgeCidr('10.203.91.1/24'), {
    network: bridgeCidr('10.203.91.0/24')!.network,
    prefix: 24,
    text: '10.203.91.0/24',
  });
  t.is(bridgeCidr('auto'), undefined);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: 8, max: 30 }),
      fc.integer({ min: 8, max: 30 }),
      (ip, prefix, wider) => {
        const text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
        const cidr = bridgeCidr(`${text(ip)}/${prefix}`)!;
        if (!noProxyCovers(`example.com, ${cidr.text}`, cidr)) return false;
        const outer = bridgeCidr(`${text(ip)}/${Math.min(prefix, wider)}`)!;
        return (
          noProxyCovers(outer.text, cidr) &&
          (prefix === wider || prefix < wider || !noProxyCovers(cidr.text, outer))
        );
      },
    ),
  );
});

test('a failed container smoke fails with what to look at', (t) => {
  const facts = {
    ...healthyFacts(),
    smoke: {
      ok: false,
      image: 'busybox',
      durationMs: 15_000,
      error: 'the container started but got no IPv4 address on lxdbr0',
    },
  };
  const smoke = byId(run(facts), 'container-smoke');
  t.is(smoke.status, 'fail');
  t.regex(smoke.fix ?? '', /DHCP/);
  const noImage = byId(
    run({ ...facts, smoke: { ok: false, durationMs: 5, error: 'no local container image to launch' } }),
    'container-smoke',
  );
  t.regex(noImage.fix ?? '', /Import a local image/);
});

test('the conjure-up engine adds its check', (t) => {
  const spec = { ...tutorial, engine: 'conjure-up' as const };
  t.is(byId(run(healthyFacts(), spec), 'conjure-up').status, 'fail');
  t.is(
    byId(
      run(
        { ...healthyFacts(), conjureUp: { source: 'path', path: '/snap/bin/conjure-up', version: '2.6.14' } },
        spec,
      ),
      'conjure-up',
    ).status,
    'pass',
  );
});

test("dpkg's status database gives the installed version, and nothing for removed packages", (t) => {
  const db = [
    'Package: lxc\nStatus: install ok installed\nVersion: 1:5.0.2-1',
    'Package: lxd\nStatus: install ok installed\nPriority: optional\nVersion: 5.0.2-5+deb12u6',
    'Package: lxd-client\nStatus: deinstall ok config-files\nVersion: 5.0.2-5',
  ].join('\n\n');
  t.is(dpkgInstalledVersion(db, 'lxd'), '5.0.2-5+deb12u6');
  t.is(dpkgInstalledVersion(db, 'lxd-client'), undefined);
  t.is(dpkgInstalledVersion(db, 'juju'), undefined);
});

test('juju 4 fails with the reason (leader-set) and the 3.6 channel to install', (t) => {
  const facts = {
    ...healthyFacts(),
    juju: { source: 'path' as const, path: '/snap/bin/juju', version: '4.0.1-genericlinux-amd64' },
  };
  const juju = byId(run(facts, defaultSpec('modern')), 'juju');
  t.is(juju.status, 'fail');
  t.regex(juju.measured, /Juju 4 removed leader-set.*3\.6 is the supported line/);
  t.regex(juju.fix ?? '', /--channel 3\.6\/stable/);
});

const labFacts = (overrides: Partial<LabFacts> = {}): LabFacts => ({
  hostNetworks: [{ name: 'lxdbr0', cidr: '10.203.91.1/24' }],
  osdDevices: {},
  staging: { strict: false, executable: '/usr/bin/juju' },
  ...overrides,
});

test('the external CIDR may not overlap a host network; the lab bridge carrying the gateway is its own', (t) => {
  const spec = defaultSpec('modern');
  const clash = byId(
    run(
      { ...healthyFacts(), lab: labFacts({ hostNetworks: [{ name: 'virbr0', cidr: '10.99.0.77/16' }] }) },
      spec,
    ),
    'external-network',
  );
  t.is(clash.status, 'fail');
  t.regex(clash.measured, /^overlaps virbr0 \(10\.99\.0\.77\/16\) on this host/);
  t.regex(clash.fix ?? '', /network\.externalCidr/);
  const own = byId(
    run(
      {
        ...healthyFacts(),
        lab: labFacts({ hostNetworks: [{ name: 'lxdstack-ext', cidr: '10.99.0.1/24' }] }),
      },
      spec,
    ),
    'external-network',
  );
  t.deepEqual([own.status, own.measured], ['pass', 'lxdstack-ext present with the gateway 10.99.0.1/24']);
  t.regex(
    byId(run({ ...healthyFacts(), lab: labFacts() }, spec), 'external-network').measured,
    /deploy creates lxdstack-ext/,
  );
});

test('OSD devices must exist, be block devices and not be mounted', (t) => {
  const spec = defaultSpec('modern');
  spec.storage.osdDevices = ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'];
  const facts = labFacts({
    osdDevices: {
      '/dev/sdb': { exists: true, block: true },
      '/dev/sdc': { exists: false, block: false },
      '/dev/sdd': { exists: true, block: false },
      '/dev/sde': { exists: true, block: true, mountedAt: '/srv' },
    },
  });
  const check = byId(run({ ...healthyFacts(), lab: facts }, spec), 'osd-devices');
  t.is(check.status, 'fail');
  t.is(
    check.measured,
    '/dev/sdc does not exist; /dev/sdd is not a block device; /dev/sde is mounted at /srv',
  );
  t.false(
    run({ ...healthyFacts(), lab: labFacts() }, defaultSpec('modern')).some((r) => r.id === 'osd-devices'),
  );
});

test('a strictly confined juju needs a staging folder it can read', (t) => {
  const spec = defaultSpec('modern');
  const classic = byId(run({ ...healthyFacts(), lab: labFacts() }, spec), 'juju-staging');
  t.regex(classic.measured, /not a strictly confined snap/);
  const strict = labFacts({
    staging: { strict: true, dir: '/home/ada/lxdstack-staging/lab-1', home: '/home/ada' },
  });
  t.is(byId(run({ ...healthyFacts(), lab: strict }, spec), 'juju-staging').status, 'pass');
  const hidden = labFacts({
    staging: { strict: true, dir: '/home/.x/s', home: '/home/.x', problem: '/home/.x/s is outside /home/.x' },
  });
  const refused = byId(run({ ...healthyFacts(), lab: hidden }, spec), 'juju-staging');
  t.is(refused.status, 'fail');
  t.regex(refused.fix ?? '', /Run lxdstack as the user/);
});

test('doctor of a lab on machines elsewhere checks only the juju client here, not this host', (t) => {
  const spec: LabSpec = {
    ...defaultSpec('modern'),
    target: { kind: 'maas', cloud: 'maas-lab', container: 'x' },
  };
  const results = evaluateChecks(
    spec,
    { ...healthyFacts(), cores: 1, memTotalBytes: GiB },
    {
      juju: 'needed',
      containerSmoke: true,
    },
  );
  t.deepEqual(
    results.map((r) => r.id),
    ['juju', 'proxy'],
  );
});

test('the budget grows with compute units, and advice names only components this lab has on', (t) => {
  const spec: LabSpec = {
    ...defaultSpec('modern'),
    sizing: { computeUnits: 3, osdCount: 3 },
    components: { ...defaultSpec('modern').components, ceph: false, cinder: false },
  };
  const results = evaluateChecks(
    spec,
    { ...healthyFacts(), memTotalBytes: 20 * GiB, poolFreeBytes: 90 * GiB },
    {
      juju: 'needed',
      containerSmoke: false,
    },
  );
  // modern budgets 24 GiB and 100 GiB; two extra compute units add 2 GiB and 10 GiB each (as the wizard shows)
  t.is(byId(results, 'memory').measured, '20 GiB (the profile budgets 28 GiB)');
  t.is(byId(results, 'disk').measured, '90 GiB free (the profile budgets 120 GiB)');
  t.is(byId(results, 'memory').fix, 'Give the host at least 28 GiB of RAM.');
  t.notRegex(byId(results, 'disk').fix ?? '', /ceph|radosgw/);
});
