import test from 'ava';
import { probeBlockDevices, probeHostNetworks, probeJujuStaging } from '../../src/lxd/lab-probes.js';
import { defaultSpec } from '../../src/lab/defaults.js';

// The lab probes on this host's own facts.

test('a device probe tells a missing path, a character device and a mounted source apart', async (t) => {
  const mounts = (await import('node:fs/promises')).readFile('/proc/self/mounts', 'utf8');
  const root =
    (await mounts)
      .split('\n')
      .find((line) => line.split(' ')[1] === '/')
      ?.split(' ')[0] ?? '';
  const facts = await probeBlockDevices(['/dev/no-such-disk', '/dev/null', root]);
  t.deepEqual(facts['/dev/no-such-disk'], { exists: false, block: false });
  t.deepEqual(facts['/dev/null'], { exists: true, block: false });
  t.is(facts[root]?.mountedAt, '/', `the root file system's source ${root} is mounted`);
});

test('host networks are IPv4 address/prefix pairs; a juju that is no snap stages nothing', async (t) => {
  for (const network of probeHostNetworks()) t.regex(network.cidr, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
  const staging = await probeJujuStaging(
    defaultSpec('modern'),
    { PATH: '/usr/bin', LXDSTACK_JUJU: '/usr/bin/true' },
    '/srv',
  );
  t.deepEqual(staging, { strict: false, executable: '/usr/bin/true' });
});
