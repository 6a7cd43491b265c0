import test from 'ava';
import { isMap, type PlainMap } from '../../src/bundle/merge.js';
import { parseBundleText } from '../../src/bundle/parse.js';
import { machineLayout } from '../../src/bundle/placement.js';
import { labBundle, renderLab } from '../../src/bundle/render.js';
import { validateBundle } from '../../src/bundle/validate.js';
import { defaultMachines, defaultSpec } from '../../src/lab/defaults.js';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../src/lab/profiles/index.js';
import { buildSpec } from '../../src/lab/validate.js';

const PASSWORD = 'openstack';

const VALID = { valid: true, errors: [], warnings: [], unchecked: [] };

function validate(rendered: ReturnType<typeof renderLab>, profile: ProfileName) {
  const base = parseBundleText(rendered.bundle, 'bundle.yaml')[0] ?? {};
  const overlays = rendered.overlays.map((o) => parseBundleText(o.text, o.name)[0] ?? {});
  const { juju, charmTracks } = PROFILES[profile];
  return validateBundle({ base, overlays }, { juju, charms: { tracks: charmTracks } });
}

function appsOf(bundle: PlainMap): Record<string, PlainMap> {
  return bundle.applications as Record<string, PlainMap>;
}

test('compute units spread one per compute machine, OSDs one per storage machine, the rest in containers', (t) => {
  const layout = machineLayout(
    {
      control: { count: 2, constraints: 'mem=16G' },
      compute: { constraints: 'cores=8 mem=32G' },
      storage: { constraints: 'root-disk=1T' },
    },
    [
      { name: 'nova-compute', units: 3 },
      { name: 'ceph-osd', units: 2 },
      { name: 'ceph-mon', units: 3 },
      { name: 'keystone', units: 1 },
      { name: 'neutron-gateway', units: 1 },
      { name: 'ovn-chassis', units: 0 },
    ],
  );
  t.deepEqual(
    layout.machines.map((m) => `${m.id} ${m.role} ${m.constraints}`),
    [
      '0 control mem=16G',
      '1 control mem=16G',
      '2 compute cores=8 mem=32G',
      '3 compute cores=8 mem=32G',
      '4 compute cores=8 mem=32G',
      '5 storage root-disk=1T',
      '6 storage root-disk=1T',
    ],
  );
  t.deepEqual(layout.applications, [
    { name: 'ceph-mon', to: ['lxd:0', 'lxd:1', 'lxd:0'], constraints: '' },
    { name: 'ceph-osd', to: ['5', '6'], constraints: 'root-disk=1T' },
    { name: 'keystone', to: ['lxd:1'], constraints: '' },
    { name: 'neutron-gateway', to: ['0'], constraints: '' },
    { name: 'nova-compute', to: ['2', '3', '4'], constraints: 'cores=8 mem=32G' },
  ]);
});

for (const profile of PROFILE_NAMES) {
  test(`${profile} on a maas target renders machines and placements that pass Juju ${PROFILES[profile].juju} checks`, (t) => {
    const spec = buildSpec(
      {
        profile,
        target: { kind: 'maas', cloud: 'maas-lab' },
        sizing: { computeUnits: 3, osdCount: 4 },
        machines: {
          control: { count: 3 },
          compute: { constraints: 'cores=16 mem=64G tags=compute zones=az1,az2' },
        },
      },
      { source: 'x' },
    );
    const rendered = renderLab(spec, { adminPassword: PASSWORD });
    t.deepEqual(validate(rendered, profile), VALID);
    t.is(rendered.overlays.at(-1)?.name, 'machines');
    const merged = labBundle(rendered);
    const apps = appsOf(merged);
    const machines = merged.machines as Record<string, PlainMap>;
    const compute = apps['nova-compute']!;
    const computeMachines = compute.to as string[];
    t.is(computeMachines.length, 3);
    t.is(new Set(computeMachines).size, 3, 'one compute machine per unit');
    for (const id of computeMachines) {
      t.is(machines[id]?.constraints, 'cores=16 mem=64G tags=compute zones=az1,az2');
    }
    t.is(
      compute.constraints,
      'cores=16 mem=64G tags=compute zones=az1,az2',
      'add-unit gets the same machine',
    );
    const osd = apps['ceph-osd']!.to as string[];
    t.is(new Set(osd).size, 4);
    for (const id of osd) t.is(machines[id]?.constraints, defaultMachines().storage.constraints);
    t.is(Object.keys(machines).length, 3 + 3 + 4);
    const mons = apps['ceph-mon']!.to as string[];
    t.deepEqual([...mons].sort(), ['lxd:0', 'lxd:1', 'lxd:2'], 'a three-unit service gets three machines');
    for (const [name, app] of Object.entries(apps)) {
      if (name === 'nova-compute' || name === 'ceph-osd' || !isMap(app) || !app.num_units) continue;
      for (const to of app.to as string[]) t.regex(to, /^(lxd:)?[012]$/, name);
    }
  });
}

test('components off and ceph off leave no storage machines; the spell bundle carries the machines', (t) => {
  const spec = buildSpec(
    {
      profile: 'tutorial-2016',
      engine: 'conjure-up',
      target: { kind: 'lxd-cluster', cloud: 'cluster' },
      components: { ceph: false, radosgw: false },
    },
    { source: 'x' },
  );
  const rendered = renderLab(spec, { adminPassword: PASSWORD });
  t.deepEqual(validate(rendered, 'tutorial-2016'), VALID);
  t.deepEqual(
    rendered.machines?.machines.map((m) => m.role),
    ['control', 'compute'],
  );
  t.regex(rendered.spell.files['bundle.yaml']!, /\nmachines:\n {2}"0":\n {4}constraints: cores=4 mem=16G/);
});

test('an existing controller without machines, and localhost, render no machines', (t) => {
  for (const kind of ['localhost', 'existing-controller']) {
    const spec = { ...defaultSpec('modern'), target: { ...defaultSpec('modern').target, kind } };
    const rendered = renderLab(spec as ReturnType<typeof defaultSpec>, { adminPassword: PASSWORD });
    t.is(rendered.machines, null);
    t.false(rendered.overlays.some((o) => o.name === 'machines'));
  }
});

test('constraints reach the overlay through the YAML library', (t) => {
  const spec = buildSpec(
    {
      profile: 'modern',
      target: { kind: 'maas', cloud: 'maas-lab' },
      machines: { compute: { constraints: 'tags=a\\ b,#x mem=8G' } },
    },
    { source: 'x' },
  );
  const text = renderLab(spec, { adminPassword: PASSWORD }).overlays.find((o) => o.name === 'machines')!.text;
  const doc = parseBundleText(text, 'machines')[0] as PlainMap;
  t.is(appsOf(doc)['nova-compute']!.constraints, 'tags=a\\ b,#x mem=8G');
});
