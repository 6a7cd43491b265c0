import { basename, extname, join, dirname, resolve } from 'node:path';
import { bundleTopology, topologyDot, topologySvg } from '../bundle/graph.js';
import { labBundle, renderLab } from '../bundle/render.js';
import { loadLabSpec } from '../lab/load.js';
import { isWriteThrough, writeOutputFile } from '../util/fs.js';
import { writeJson, writeLine, type CommandContext } from '../util/context.js';

export interface GraphOptions {
  answers?: string;
  output: string;
  json?: boolean;
}

/** The picture never shows options, so the real admin password is not needed (nor read) to draw it. */
const PASSWORD_NOT_DRAWN = 'not-drawn-in-the-graph';

/** `lxdstack graph [--answers lab.yaml] [-o FILE]`: the lab's topology as SVG, with the DOT beside it. */
export async function runGraph(options: GraphOptions, ctx: CommandContext): Promise<number> {
  const { spec } = await loadLabSpec(ctx.cwd, options.answers);
  const rendered = renderLab(spec, { adminPassword: PASSWORD_NOT_DRAWN });
  const topology = bundleTopology(labBundle(rendered));
  const title = `${spec.name}: ${spec.profile} (${topology.nodes.length} applications, ${topology.edges.length} relations)`;
  const svg = await topologySvg(topology, { title });
  // `-` or a device (/dev/stdout, /dev/null) gets the SVG alone: there is no "beside it" for the DOT.
  if (await isWriteThrough(options.output)) {
    const svgPath = options.output === '-' ? '-' : resolve(ctx.cwd, options.output);
    await writeOutputFile(svgPath, svg, { stdout: ctx.stdout });
    if (svgPath !== '-') writeLine(ctx.stderr, `wrote ${svgPath} (no DOT beside a device)`);
    return 0;
  }
  const svgPath = resolve(ctx.cwd, options.output);
  const stem = join(dirname(svgPath), basename(svgPath, extname(svgPath)));
  const dotPath = `${stem}.dot` === svgPath ? `${svgPath}.dot` : `${stem}.dot`;
  await writeOutputFile(svgPath, svg);
  await writeOutputFile(dotPath, topologyDot(topology, { title }));
  if (options.json) {
    writeJson(ctx.stdout, {
      lab: spec.name,
      applications: topology.nodes.length,
      relations: topology.edges.length,
      svg: svgPath,
      dot: dotPath,
    });
    return 0;
  }
  writeLine(ctx.stdout, `wrote ${svgPath}`);
  writeLine(ctx.stdout, `wrote ${dotPath}`);
  return 0;
}
