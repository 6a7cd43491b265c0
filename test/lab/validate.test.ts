import test from 'ava';
import { InputError } from '../../src/util/errors.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { PROFILE_NAMES, PROFILES } from '../../src/lab/profiles/index.js';
import { buildSpec } from '../../src/lab/validate.js';

function problems(answers: unknown): string[] {
  try {
    buildSpec(answers, { source: 'lab.yaml' });
  } catch (error) {
    if (error instanceof InputError) return [...error.details];
    throw error;
  }
  return [];
}

test('empty answers give the tutorial profile defaults', (t) => {
  t.deepEqual(buildSpec(undefined, { source: 'x' }), defaultSpec('tutorial-2016'));
  t.deepEqual(buildSpec({}, { source: 'x' }), defaultSpec('tutorial-2016'));
});

for (const profile of PROFILE_NAMES) {
  test(`defaults of ${profile} validate and follow the profile facts`, (t) => {
    const spec = buildSpec({ profile }, { source: 'x' });
    t.is(spec.series, PROFILES[profile].series);
    t.is(spec.openstackRelease, PROFILES[profile].openstackRelease);
    // a ceph that needs block devices has its OSDs in one unit on this host
    t.is(spec.sizing.osdCount, PROFILES[profile].directoryOsds ? PROFILES[profile].osdCount : 1);
    t.is(spec.adminPassword, undefined);
  });
}

test('the tutorial defaults follow the 2016 spell', (t) => {
  const spec = defaultSpec('tutorial-2016');
  t.is(spec.series, 'xenial');
  t.is(spec.openstackRelease, 'mitaka');
  t.is(spec.network.externalPort, 'eth1');
  t.deepEqual(spec.components, { ceph: true, radosgw: true, dashboard: true, cinder: false });
});

test('flags override the answers file', (t) => {
  const spec = buildSpec(
    { name: 'from-file', profile: 'modern' },
    { source: 'x', overrides: { name: 'from-flag' } },
  );
  t.is(spec.name, 'from-flag');
  t.is(spec.profile, 'modern');
  t.is(spec.series, 'noble');
});

test('a bad CIDR names the field', (t) => {
  t.deepEqual(problems({ network: { externalCidr: '10.99.0.0/40' } }), [
    'network.externalCidr: prefix /40 is out of range; use /8 to /30',
  ]);
  t.regex(
    problems({ network: { tenantCidr: 'banana' } })[0]!,
    /^network\.tenantCidr: "banana" is not a CIDR/,
  );
  t.regex(
    problems({ network: { tenantCidr: '10.101.0.5/24' } })[0]!,
    /host bits set; the network is 10\.101\.0\.0\/24/,
  );
});

test('a gateway outside its CIDR is refused', (t) => {
  t.deepEqual(problems({ network: { gateway: '10.98.0.1' } }), [
    'network.gateway: 10.98.0.1 is outside network.externalCidr 10.99.0.0/24',
  ]);
});

test('a floating range outside the CIDR, reversed, or covering the gateway is refused', (t) => {
  t.deepEqual(problems({ network: { floatingEnd: '10.99.1.20' } }), [
    'network.floatingEnd: 10.99.1.20 is outside network.externalCidr 10.99.0.0/24',
  ]);
  t.deepEqual(problems({ network: { floatingStart: '10.99.0.200', floatingEnd: '10.99.0.100' } }), [
    'network.floatingEnd: 10.99.0.100 comes before network.floatingStart 10.99.0.200',
  ]);
  t.deepEqual(problems({ network: { floatingStart: '10.99.0.1' } }), [
    'network.floatingStart: the floating-IP range 10.99.0.1-10.99.0.254 covers the gateway 10.99.0.1; start it after the gateway',
  ]);
});

test('overlapping tenant and external networks are refused', (t) => {
  t.deepEqual(problems({ network: { tenantCidr: '10.99.0.0/16' } }), [
    'network.tenantCidr: 10.99.0.0/16 overlaps network.externalCidr 10.99.0.0/24; pick a separate range',
  ]);
});

test('DNS servers must be addresses', (t) => {
  t.deepEqual(problems({ network: { dnsServers: ['1.1.1.1', 'dns.example'] } }), [
    'network.dnsServers.1: "dns.example" is not an IPv4 address',
  ]);
});

test('an unknown profile suggests the closest one', (t) => {
  t.deepEqual(problems({ profile: 'modren' }), [
    'profile: unknown profile "modren"; did you mean modern? choose one of tutorial-2016, novalxd-final, modern',
  ]);
});

test('an unknown key suggests the closest valid key, at any depth', (t) => {
  t.deepEqual(problems({ nmae: 'x' }), ['nmae: unknown key; did you mean name?']);
  t.deepEqual(problems({ network: { gatway: '10.99.0.1' } }), [
    'network.gatway: unknown key; did you mean network.gateway?',
  ]);
  t.deepEqual(problems({ sizing: { computeUnit: 2 } }), [
    'sizing.computeUnit: unknown key; did you mean sizing.computeUnits?',
  ]);
});

test('wrong types name the field and what was given', (t) => {
  t.deepEqual(problems({ sizing: { computeUnits: 'two' } }), [
    'sizing.computeUnits: expected number, received string (got "two")',
  ]);
  t.deepEqual(problems({ components: { ceph: 'yes' } }), [
    'components.ceph: expected boolean, received string (got "yes")',
  ]);
});

test('enums list their choices', (t) => {
  t.deepEqual(problems({ engine: 'ansible' }), [
    'engine: "ansible" is not valid; expected one of "juju"|"conjure-up"',
  ]);
});

test('every error is reported at once', (t) => {
  const found = problems({
    profile: 'nope',
    name: 'Bad Name',
    network: { gateway: 'x', tenantCidr: '1.2.3.4/99' },
    lxd: { mtu: 100 },
  });
  t.is(found.length, 5, found.join('\n'));
});

test('rules across fields: series and release per profile, radosgw needs ceph, conjure-up only for the spells', (t) => {
  t.deepEqual(problems({ profile: 'modern', series: 'xenial' }), [
    'series: modern deploys on noble or jammy, not xenial',
  ]);
  t.deepEqual(problems({ profile: 'modern', openstackRelease: '2023.2' }), [
    'openstackRelease: 2023.2 has no charms for noble; on noble use 2024.1',
  ]);
  t.deepEqual(problems({ profile: 'modern', series: 'jammy', openstackRelease: '2023.2' }), []);
  t.deepEqual(problems({ profile: 'modern', openstackRelease: 'mitaka' }), [
    'openstackRelease: modern offers 2024.1, 2023.2, 2023.1, yoga, not mitaka',
  ]);
  t.deepEqual(problems({ components: { ceph: false } }), [
    'components.radosgw: the RADOS gateway needs ceph; turn components.ceph on or radosgw off',
  ]);
  t.deepEqual(problems({ profile: 'modern', engine: 'conjure-up' }), [
    'engine: conjure-up drives the 2016-2019 nova-lxd spells; use juju for the modern profile',
  ]);
  t.deepEqual(problems({ profile: 'modern', components: { radosgw: true } }), [
    'components.radosgw: the modern profile has no radosgw; set it to false',
    'components.radosgw: the RADOS gateway needs ceph; turn components.ceph on or radosgw off',
  ]);
  t.deepEqual(problems({ target: { kind: 'maas' } }), [
    'target.cloud: a maas target needs the name of that cloud as juju knows it (juju clouds), not localhost',
  ]);
});

test('answers that are not a mapping are refused', (t) => {
  const error = t.throws(() => buildSpec(['a'], { source: 'lab.yaml' }), { instanceOf: InputError });
  t.regex(error.message, /lab\.yaml: the answers must be a mapping.*not a list/);
  t.throws(() => buildSpec('text', { source: 'lab.yaml' }), { message: /not a single value/ });
});

test('a short admin password is refused; a given one is kept', (t) => {
  t.deepEqual(problems({ adminPassword: 'short' }), ['adminPassword: use at least 8 characters']);
  t.is(
    buildSpec({ adminPassword: 'long enough: # yes' }, { source: 'x' }).adminPassword,
    'long enough: # yes',
  );
});

test('modern ceph: off on this host without block devices, on with them (one ceph-osd unit) or on a cloud', (t) => {
  const plain = buildSpec({ profile: 'modern' }, { source: 'x' });
  t.false(plain.components.ceph);
  const devices = buildSpec(
    { profile: 'modern', storage: { osdDevices: ['/dev/sdb', '/dev/sdc'] } },
    { source: 'x' },
  );
  t.true(devices.components.ceph);
  t.is(devices.sizing.osdCount, 1);
  const maas = buildSpec({ profile: 'modern', target: { kind: 'maas', cloud: 'maas-lab' } }, { source: 'x' });
  t.true(maas.components.ceph);
  t.is(maas.sizing.osdCount, 3);

  t.deepEqual(problems({ profile: 'modern', components: { ceph: true } }), [
    'components.ceph: ceph since Nautilus makes no OSD on a directory; name block devices in storage.osdDevices (e.g. [/dev/sdb]), or set components.ceph: false (glance then keeps images on its own disk)',
  ]);
  t.deepEqual(
    problems({ profile: 'modern', storage: { osdDevices: ['/dev/sdb'] }, sizing: { osdCount: 3 } }),
    [
      'sizing.osdCount: on this host every ceph-osd container sees the same devices, so one unit takes all of storage.osdDevices; set sizing.osdCount: 1 (not 3)',
    ],
  );
  t.deepEqual(problems({ profile: 'modern', storage: { osdDevices: ['/srv/osd'] } }), [
    'storage.osdDevices.0: name a block device such as /dev/sdb (a directory makes no OSD)',
  ]);
  t.deepEqual(problems({ storage: { osdDevices: ['/dev/sdb'] } }), [
    'storage.osdDevices: the tutorial-2016 profile keeps its OSDs in /srv/osd directories, as its bundle did; remove storage.osdDevices',
  ]);
});

test('vault: unlock auto by default; manual needs a threshold within the key shares and a profile with vault', (t) => {
  t.deepEqual(buildSpec({ profile: 'modern' }, { source: 'x' }).vault, {
    unlock: 'auto',
    keyShares: 5,
    keyThreshold: 3,
  });
  t.deepEqual(problems({ profile: 'modern', vault: { unlock: 'manual', keyShares: 2, keyThreshold: 3 } }), [
    'vault.keyThreshold: 3 is more than vault.keyShares 2; vault could never be unsealed',
  ]);
  t.deepEqual(problems({ vault: { unlock: 'manual' } }), [
    'vault.unlock: the tutorial-2016 profile has no vault; remove the vault section',
  ]);
  t.deepEqual(problems({ profile: 'modern', vault: { unlock: 'sometimes' } }), [
    'vault.unlock: "sometimes" is not valid; expected one of "auto"|"manual"',
  ]);
});
