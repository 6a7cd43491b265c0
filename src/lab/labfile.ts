import { Document, isMap, isPair, isScalar, stringify, type Pair, type YAMLMap } from 'yaml';
import { writeFileAtomic } from '../util/fs.js';
import { parseYaml, readYamlText } from '../util/yaml.js';
import { defaultMachines } from './defaults.js';
import { FIELD_DOCS } from './docs.js';
import type { LabSpec } from './schema.js';

const HEADER = [
  ' lxdstack lab answers: `lxdstack plan` shows what these produce, `lxdstack deploy` builds it.',
  " Every key is optional; a missing key takes the profile's default.",
];

/** Read a lab.yaml (or any answers file) into plain answers; errors name file:line:column. */
export async function readAnswersFile(path: string): Promise<unknown> {
  const text = await readYamlText(path, 'The answers file', 1024 * 1024);
  return parseYaml(text, path);
}

function commentPairs(map: YAMLMap, prefix: string): void {
  for (const item of map.items as Pair[]) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const path = prefix ? `${prefix}.${String(item.key.value)}` : String(item.key.value);
    const doc = FIELD_DOCS[path];
    if (doc) item.key.commentBefore = ` ${doc}`;
    if (isMap(item.value)) commentPairs(item.value, path);
  }
}

/** lab.yaml text: the spec with a comment on every key; values emitted by the YAML library. */
export function renderLabYaml(spec: LabSpec | Record<string, unknown>): string {
  const doc = new Document(spec);
  if (isMap(doc.contents)) commentPairs(doc.contents, '');
  doc.commentBefore = HEADER.join('\n');
  // optional sections the spec leaves out are shown commented, so a reader learns they exist
  const absent: string[] = [];
  if (!('adminPassword' in spec) || spec.adminPassword === undefined) {
    absent.push(` ${FIELD_DOCS.adminPassword}\n adminPassword: ...`);
  }
  if (!('machines' in spec) || spec.machines === undefined) {
    const example = stringify({ machines: defaultMachines() }, { lineWidth: 0 }).trimEnd();
    absent.push([` ${FIELD_DOCS.machines}`, ...example.split('\n').map((line) => ` ${line}`)].join('\n'));
  }
  if (absent.length > 0) doc.comment = absent.join('\n\n');
  return doc.toString({ lineWidth: 0 });
}

/** Mode 0600: a lab.yaml may hold the admin password. */
export async function writeLabYaml(path: string, spec: LabSpec): Promise<void> {
  await writeFileAtomic(path, renderLabYaml(spec), 0o600);
}
