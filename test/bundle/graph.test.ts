import test from 'ava';
import { bundleTopology, topologyDot, topologySvg } from '../../src/bundle/graph.js';
import { renderGoldenLab } from '../../src/bundle/golden.js';
import { labBundle } from '../../src/bundle/render.js';
import { referenceBundle } from './reference.js';

test('the tutorial topology: 15 applications with charm and units, 28 relations, subordinates and exposure marked', (t) => {
  const topology = bundleTopology(labBundle(renderGoldenLab('tutorial-2016')));
  t.is(topology.nodes.length, 15);
  t.is(topology.edges.length, 28);
  t.deepEqual(
    topology.nodes.find((n) => n.name === 'mysql'),
    { name: 'mysql', charm: 'percona-cluster', units: 1, subordinate: false, exposed: false },
  );
  t.deepEqual(
    topology.nodes
      .filter((n) => n.subordinate)
      .map((n) => n.name)
      .sort(),
    ['lxd', 'neutron-openvswitch', 'ntp'],
  );
  t.deepEqual(
    topology.nodes.filter((n) => n.exposed).map((n) => n.name),
    ['openstack-dashboard'],
  );
  t.deepEqual(
    topology.edges.find((e) => e.from === 'nova-compute' && e.to === 'lxd'),
    {
      from: 'nova-compute',
      to: 'lxd',
      label: 'lxd - lxd',
    },
  );
});

test('services: bundles (Juju 2.9) draw too', (t) => {
  const topology = bundleTopology(referenceBundle('spell-2019-05-13.yaml'));
  t.is(topology.nodes.length, 16);
});

test('DOT: one node per application, one edge per relation, hostile names quoted', (t) => {
  const dot = topologyDot(
    {
      nodes: [
        { name: 'a"b', charm: 'x\\y', units: 2, subordinate: false, exposed: true },
        { name: 'sub', charm: 'sub', units: 0, subordinate: true, exposed: false },
      ],
      edges: [{ from: 'a"b', to: 'sub', label: 'juju-info - juju-info' }],
    },
    { title: 'lab "x"' },
  );
  t.true(dot.startsWith('graph lab {'));
  t.true(dot.includes('label="lab \\"x\\""'));
  t.true(dot.includes('"a\\"b" [label="a\\"b\\nx\\\\y\\n2 units, exposed"'));
  t.true(dot.includes('"sub" [label="sub\\nsubordinate", style="rounded,dashed,filled"'));
  t.true(dot.includes('"a\\"b" -- "sub" [label="juju-info - juju-info"];'));
});

test('SVG laid out by Graphviz: every application appears as a node', async (t) => {
  const topology = bundleTopology(labBundle(renderGoldenLab('modern')));
  const svg = await topologySvg(topology, { title: 'modern' });
  t.true(svg.includes('<svg'));
  t.is((svg.match(/class="node"/g) ?? []).length, topology.nodes.length);
  t.is((svg.match(/class="edge"/g) ?? []).length, topology.edges.length);
  t.true(svg.includes('>ovn&#45;chassis</text>'), 'Graphviz escapes the dash');
});
