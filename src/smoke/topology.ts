import { join } from 'node:path';
import { bundleTopology, topologySvg } from '../bundle/graph.js';
import { errorMessage } from '../util/errors.js';
import { pathExists } from '../util/fs.js';
import { parseYamlDocuments, readYamlText } from '../util/yaml.js';

// The lab's topology picture for the HTML report, drawn from the bundle deploy rendered, so deploy's
// verify step and `lxdstack verify` show the same picture.

export type TopologyPicture = { svg: string } | { problem: string } | undefined;

/** The picture of the lab in `labDirectory`; undefined when nothing was rendered there yet. */
export async function labTopologySvg(labDirectory: string): Promise<TopologyPicture> {
  // spell/bundle.yaml is the base bundle with the lab's overlays merged: the lab as deployed.
  const merged = join(labDirectory, 'spell', 'bundle.yaml');
  const bundlePath = (await pathExists(merged)) ? merged : join(labDirectory, 'bundle.yaml');
  if (!(await pathExists(bundlePath))) return undefined;
  try {
    const bundle = parseYamlDocuments(await readYamlText(bundlePath, 'bundle'), bundlePath)[0];
    return { svg: await topologySvg(bundleTopology(bundle)) };
  } catch (error) {
    return { problem: errorMessage(error) };
  }
}
