// The lab's topology: applications (charm, unit count, subordinate, exposed) and relations, as data, as
// DOT, and as SVG laid out by Graphviz (compiled to WASM, so no system binary is needed).
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { parseCharmUrl } from '../juju/syntax.js';
import { isMap } from './merge.js';
import { bundleApplications, numUnits, yamlBool } from './shape.js';

export interface TopologyNode {
  name: string;
  charm: string;
  units: number;
  /** No units of its own: Juju places it beside its principals' units (a subordinate charm). */
  subordinate: boolean;
  exposed: boolean;
}

export interface TopologyEdge {
  from: string;
  to: string;
  /** `endpoint - endpoint` when the bundle names them. */
  label: string;
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

function charmName(charm: string): string {
  const url = parseCharmUrl(charm, '2.9');
  return typeof url === 'string' ? charm : url.name;
}

/** Applications and relations of a bundle (either flavour's key for applications). */
export function bundleTopology(bundle: unknown): Topology {
  if (!isMap(bundle)) return { nodes: [], edges: [] };
  const { applications } = bundleApplications(bundle, isMap(bundle.applications) ? '3' : '2.9');
  const nodes = Object.entries(applications)
    .filter(([, app]) => isMap(app))
    .map(([name, app]) => {
      const body = app as Record<string, unknown>;
      const units = numUnits(body);
      return {
        name,
        // the validator reports a charm that is not a string; the picture just leaves it out
        charm: charmName(typeof body.charm === 'string' ? body.charm : ''),
        units,
        subordinate: bundle.bundle !== 'kubernetes' && units === 0,
        exposed: yamlBool(body.expose) === true || isMap(body['exposed-endpoints']),
      };
    });
  const known = new Set(nodes.map((n) => n.name));
  const edges: TopologyEdge[] = [];
  for (const relation of Array.isArray(bundle.relations) ? bundle.relations : []) {
    if (!Array.isArray(relation) || relation.length !== 2) continue;
    if (!relation.every((end) => typeof end === 'string')) continue;
    const [a, b] = relation as [string, string];
    const from = a.split(':')[0]!;
    const to = b.split(':')[0]!;
    if (!known.has(from) || !known.has(to)) continue;
    const endpoint = (e: string) => e.split(':')[1] ?? '';
    const label = endpoint(a) || endpoint(b) ? `${endpoint(a) || '*'} - ${endpoint(b) || '*'}` : '';
    edges.push({ from, to, label });
  }
  return { nodes, edges };
}

/** A DOT string literal. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The topology as a Graphviz DOT graph: subordinates dashed, exposed applications doubled and filled. */
export function topologyDot(topology: Topology, options: { title?: string } = {}): string {
  const lines = [
    'graph lab {',
    '  graph [rankdir=LR, overlap=false, splines=true, fontname="Helvetica", fontsize=12, labelloc=t' +
      (options.title ? `, label=${dotString(options.title)}` : '') +
      '];',
    '  node [shape=box, style="rounded,filled", fillcolor="#f4f6f8", fontname="Helvetica", fontsize=10];',
    '  edge [color="#7a8793", fontname="Helvetica", fontsize=7, fontcolor="#56616b"];',
  ];
  for (const node of topology.nodes) {
    const what = node.subordinate ? 'subordinate' : `${node.units} unit${node.units === 1 ? '' : 's'}`;
    // the charm line only when it differs from the application name, as `juju status` readers expect
    const charm = node.charm && node.charm !== node.name ? `\n${node.charm}` : '';
    const label = `${node.name}${charm}\n${what}${node.exposed ? ', exposed' : ''}`;
    const style = node.subordinate ? 'rounded,dashed,filled' : 'rounded,filled';
    const fill = node.exposed ? '#fde8c8' : node.subordinate ? '#ffffff' : '#e6f0fa';
    const border = node.exposed ? ', peripheries=2, color="#c0661b"' : '';
    lines.push(
      `  ${dotString(node.name)} [label=${dotString(label)}, style=${dotString(style)}, fillcolor=${dotString(fill)}${border}];`,
    );
  }
  for (const edge of topology.edges) {
    lines.push(
      `  ${dotString(edge.from)} -- ${dotString(edge.to)}${edge.label ? ` [label=${dotString(edge.label)}]` : ''};`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let graphviz: Promise<Graphviz> | undefined;

/** The topology laid out by Graphviz's dot engine, as a standalone SVG document. */
export async function topologySvg(topology: Topology, options: { title?: string } = {}): Promise<string> {
  graphviz ??= Graphviz.load();
  return (await graphviz).dot(topologyDot(topology, options));
}
