import test from 'ava';
import { defaultMachines, specKeyPaths } from '../../src/lab/defaults.js';
import { FIELD_DOCS } from '../../src/lab/docs.js';
import { renderLabYaml } from '../../src/lab/labfile.js';
import { buildSpec } from '../../src/lab/validate.js';
import { InputError } from '../../src/util/errors.js';
import { parseYaml } from '../../src/util/yaml.js';

function problems(answers: unknown): string[] {
  try {
    buildSpec(answers, { source: 'lab.yaml' });
  } catch (error) {
    if (error instanceof InputError) return [...error.details];
    throw error;
  }
  return [];
}

const maas = { kind: 'maas', cloud: 'maas-lab' };

test('a maas or lxd-cluster target gets the default machines; what the answers give wins per role', (t) => {
  t.deepEqual(buildSpec({ target: maas }, { source: 'x' }).machines, defaultMachines());
  const spec = buildSpec(
    {
      target: { kind: 'lxd-cluster', cloud: 'cluster' },
      machines: { control: { count: 3 }, compute: { constraints: 'cores=16 mem=64G tags=compute' } },
    },
    { source: 'x' },
  );
  t.deepEqual(spec.machines, {
    control: { count: 3, constraints: defaultMachines().control.constraints },
    compute: { constraints: 'cores=16 mem=64G tags=compute' },
    storage: defaultMachines().storage,
  });
});

test('localhost has no machines; an existing controller has them only when the answers say so', (t) => {
  t.is(buildSpec({}, { source: 'x' }).machines, undefined);
  t.is(buildSpec({ target: { kind: 'existing-controller' } }, { source: 'x' }).machines, undefined);
  const placed = buildSpec(
    { target: { kind: 'existing-controller' }, machines: { storage: { constraints: 'zones=az1,az2' } } },
    { source: 'x' },
  );
  t.is(placed.machines?.storage.constraints, 'zones=az1,az2');
});

test('machines on a target on this host are refused with one line saying what to do', (t) => {
  for (const kind of ['localhost', 'nested-container']) {
    t.deepEqual(problems({ target: { kind }, machines: { control: { count: 2 } } }), [
      `machines: a ${kind} target runs every unit in an LXD container on this host, so there are no machines to place; remove machines, or set target.kind to maas, lxd-cluster or existing-controller`,
    ]);
  }
});

test('constraints are checked with Juju rules; every problem names its field, all at once', (t) => {
  t.deepEqual(
    problems({
      target: maas,
      machines: {
        control: { count: 4, constraints: 'mem=lots' },
        compute: { constraints: 'cores=8 core=2' },
        storage: { constraints: 'root-disk' },
      },
    }),
    [
      'machines.control.count: use 1 to 3 control machines',
      'machines.control.constraints: bad "mem" constraint: must be a non-negative float with optional M/G/T/P suffix in "mem=lots"; write Juju constraints such as cores=8 mem=32G root-disk=200G tags=compute',
      'machines.compute.constraints: unknown constraint "core"; did you mean cores? in "cores=8 core=2"; write Juju constraints such as cores=8 mem=32G root-disk=200G tags=compute',
      'machines.storage.constraints: malformed constraint "root-disk" in "root-disk"; write Juju constraints such as cores=8 mem=32G root-disk=200G tags=compute',
    ],
  );
  t.deepEqual(problems({ target: maas, machines: { compute: { constraints: 'arch=amd64 arch=arm64' } } }), [
    'machines.compute.constraints: bad "arch" constraint: already set in "arch=amd64 arch=arm64"; write Juju constraints such as cores=8 mem=32G root-disk=200G tags=compute',
  ]);
});

test('every Juju constraint key the issue names is accepted', (t) => {
  const constraints =
    'arch=amd64 cores=8 cpu-power=100 mem=32G root-disk=1.5T root-disk-source=ssd tags=compute,fast spaces=oam,^storage virt-type=kvm zones=az1,az2 instance-type=m5.large container=lxd allocate-public-ip=true';
  t.deepEqual(problems({ target: maas, machines: { compute: { constraints } } }), []);
});

test('machine keys are suggested, typed and documented', (t) => {
  t.deepEqual(problems({ target: maas, machines: { compute: { count: 3 }, storage: { count: 1 } } }), [
    'machines.compute.count: there is one compute machine per nova-compute unit; set sizing.computeUnits instead',
    'machines.storage.count: there is one storage machine per ceph-osd unit; set sizing.osdCount instead',
  ]);
  t.deepEqual(problems({ target: maas, machines: { control: { size: 3 } } }), [
    'machines.control.size: unknown key; did you mean machines.control.count?',
  ]);
  t.deepEqual(problems({ target: maas, machine: {} }), ['machine: unknown key; did you mean machines?']);
  t.deepEqual(problems({ target: maas, machines: 'big' }), [
    'machines: expected object, received string (got "big")',
  ]);
  for (const path of specKeyPaths({ machines: defaultMachines() })) t.truthy(FIELD_DOCS[path], path);
});

test('lab.yaml round-trips the machines; without them it shows a commented example', (t) => {
  const spec = buildSpec(
    { target: maas, machines: { compute: { constraints: 'tags=compute mem=32G' } } },
    { source: 'x' },
  );
  const text = renderLabYaml(spec);
  t.deepEqual(buildSpec(parseYaml(text, 'lab.yaml'), { source: 'lab.yaml' }), spec);
  t.regex(text, /# Juju constraints of each compute machine[^\n]*\n {4}constraints: tags=compute mem=32G/);
  const local = renderLabYaml(buildSpec({}, { source: 'x' }));
  t.regex(local, /\n# machines:\n# {3}control:\n# {5}count: 1\n/);
});
