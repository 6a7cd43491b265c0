import test from 'ava';
import { execFileSync } from 'node:child_process';
import {
  firstHost,
  hostIsOnNetwork,
  flavorsForHost,
  imagePlan,
  largestHost,
  parseChecksum,
  shellQuote,
} from '../../src/openstack/plan.js';

test('flavors are sized to the host, and m1.tiny always exists', (t) => {
  t.deepEqual(
    flavorsForHost({ vcpus: 4, ramMiB: 16_000, diskGiB: 100 }).map((f) => f.name),
    ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large'],
  );
  t.deepEqual(
    flavorsForHost({ vcpus: 2, ramMiB: 4096, diskGiB: 30 }).map((f) => f.name),
    ['m1.tiny', 'm1.small'],
  );
  t.deepEqual(
    flavorsForHost({ vcpus: 0, ramMiB: 0, diskGiB: 0 }).map((f) => f.name),
    ['m1.tiny'],
  );
  t.deepEqual(
    largestHost([
      { vcpus: 2, memory_mb: 8000, local_gb: 10 },
      { vcpus: 8, memory_mb: 4000 },
    ]),
    { vcpus: 8, ramMiB: 8000, diskGiB: 10 },
  );
  t.is(largestHost([]), undefined);
});

test('nova-lxd profiles import a raw root tarball, modern a qcow2', (t) => {
  t.like(imagePlan({ profile: 'tutorial-2016', series: 'xenial' }), {
    name: 'xenial-lxd',
    diskFormat: 'raw',
  });
  t.like(imagePlan({ profile: 'modern', series: 'jammy' }), { name: 'jammy', diskFormat: 'qcow2' });
  t.is(imagePlan({ profile: 'modern', series: 'jammy' }, 'mine').name, 'mine');
});

test('checksums name their algorithm or are known by their length', (t) => {
  t.deepEqual(parseChecksum(`sha256:${'A'.repeat(64)}`), { algorithm: 'sha256', hex: 'a'.repeat(64) });
  t.deepEqual(parseChecksum('f'.repeat(32)), { algorithm: 'md5', hex: 'f'.repeat(32) });
  t.is(parseChecksum(`sha256:${'a'.repeat(32)}`), undefined);
  t.is(parseChecksum('not-hex'), undefined);
});

test('novarc values survive the shell, quotes and all', (t) => {
  const value = `it's "$HOME" \`x\` a: b # c`;
  t.is(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' }), value);
  t.is(firstHost('10.101.0.0/24'), '10.101.0.1');
});

test('the floating network is reachable when this host has an address in it', (t) => {
  t.true(hostIsOnNetwork('10.99.0.0/24', ['127.0.0.1', '10.99.0.1']));
  t.false(hostIsOnNetwork('10.99.0.0/24', ['127.0.0.1', '10.98.0.1']));
  t.false(hostIsOnNetwork('not-a-cidr', ['10.99.0.1']));
});
