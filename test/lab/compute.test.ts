import test from 'ava';
import { parse } from 'yaml';
import { renderLab } from '../../src/bundle/render.js';
import { LXC_CAVEAT, labVirtType } from '../../src/lab/compute.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { buildSpec } from '../../src/lab/validate.js';
import { computeHostCheck } from '../../src/lxd/compute-check.js';
import { imagePlan } from '../../src/openstack/plan.js';
import { InputError } from '../../src/util/errors.js';

// The lab's compute section: virtType (modern only) and the image configure uploads, what they render
// into, and what doctor says about them on this host.

const sha = 'a'.repeat(64);

test('a modern lab takes compute.virtType and compute.image; the nova-lxd profiles refuse a virtType', (t) => {
  const spec = buildSpec(
    {
      profile: 'modern',
      compute: { virtType: 'lxc', image: { source: './root.raw', checksum: `sha256:${sha}` } },
    },
    { source: 'lab.yaml' },
  );
  t.deepEqual(spec.compute, { virtType: 'lxc', image: { source: './root.raw', checksum: `sha256:${sha}` } });
  const error = t.throws(
    () => buildSpec({ profile: 'tutorial-2016', compute: { virtType: 'kvm' } }, { source: 'lab.yaml' }),
    {
      instanceOf: InputError,
    },
  );
  t.regex(
    error.details!.join('\n'),
    /compute\.virtType: the tutorial-2016 profile's nova-compute drives LXD \(nova-lxd\)/,
  );
  const bad = t.throws(
    () =>
      buildSpec(
        { profile: 'modern', compute: { virtType: 'xen', image: { source: 'x', checksum: 'md5:1' } } },
        { source: 'lab.yaml' },
      ),
    { instanceOf: InputError },
  );
  const details = bad.details!.join('\n');
  t.regex(details, /compute\.virtType: "xen" is not valid/);
  t.regex(details, /compute\.image\.checksum: use sha256:HEX/);
});

test('virtType decides the charm’s virt-type and the LXD profile’s devices; the default follows /dev/kvm', (t) => {
  const devices = (profile: string) => Object.keys((parse(profile) as { devices: object }).devices);
  const lxc = renderLab(
    { ...defaultSpec('modern'), compute: { virtType: 'lxc' } },
    { adminPassword: 'pw-123456', hasKvm: true },
  );
  t.regex(lxc.bundle, /virt-type: lxc/);
  t.deepEqual(
    devices(lxc.lxdProfile).filter((d) => d.startsWith('loop') || d === 'kvm'),
    ['loop-control', 'loop0', 'loop1', 'loop2', 'loop3', 'loop4', 'loop5', 'loop6', 'loop7'],
  );
  t.like((parse(lxc.lxdProfile) as { devices: Record<string, object> }).devices, {
    'loop-control': { path: '/dev/loop-control', type: 'unix-char' },
    loop7: { path: '/dev/loop7', type: 'unix-block' },
  });
  const kvm = renderLab(defaultSpec('modern'), { adminPassword: 'pw-123456', hasKvm: true });
  t.regex(kvm.bundle, /virt-type: kvm/);
  t.true(devices(kvm.lxdProfile).includes('kvm'));
  t.false(devices(kvm.lxdProfile).includes('loop-control'));
  const qemu = renderLab(
    { ...defaultSpec('modern'), compute: { virtType: 'qemu' } },
    { adminPassword: 'pw-123456', hasKvm: true },
  );
  t.regex(qemu.bundle, /virt-type: qemu/);
  t.false(devices(qemu.lxdProfile).includes('kvm'));
  t.is(labVirtType(defaultSpec('modern'), false), 'qemu');
  t.is(labVirtType(defaultSpec('tutorial-2016'), true), undefined);
});

test('the image is raw for lxc and named after the series, unless the lab names it', (t) => {
  t.like(imagePlan({ ...defaultSpec('modern'), compute: { virtType: 'lxc' } }), {
    name: 'noble-lxc',
    diskFormat: 'raw',
  });
  t.like(imagePlan(defaultSpec('modern')), { name: 'noble', diskFormat: 'qcow2' });
  t.is(
    imagePlan({ ...defaultSpec('modern'), compute: { image: { source: 'x', checksum: sha, name: 'mine' } } })
      .name,
    'mine',
  );
});

test('doctor warns that lxc is for testing only, and fails kvm without /dev/kvm', (t) => {
  const lxc = computeHostCheck(
    { profile: 'modern', compute: { virtType: 'lxc' } },
    { hasKvm: false, hasLoopControl: true },
  );
  t.like(lxc, { status: 'warn' });
  t.true(lxc!.measured.includes(LXC_CAVEAT));
  t.like(
    computeHostCheck(
      { profile: 'modern', compute: { virtType: 'lxc' } },
      { hasKvm: false, hasLoopControl: false },
    ),
    {
      status: 'fail',
    },
  );
  t.like(
    computeHostCheck(
      { profile: 'modern', compute: { virtType: 'kvm' } },
      { hasKvm: false, hasLoopControl: true },
    ),
    {
      status: 'fail',
      measured: 'compute.virtType is kvm, but this host has no /dev/kvm',
    },
  );
  t.like(computeHostCheck({ profile: 'modern' }, { hasKvm: true, hasLoopControl: true }), { status: 'pass' });
  t.is(computeHostCheck({ profile: 'tutorial-2016' }, { hasKvm: true, hasLoopControl: true }), undefined);
});
