import { isCollection, isPair, isScalar, parseAllDocuments, visit, type Document } from 'yaml';
import { InputError } from '../util/errors.js';
import { MAX_YAML_BYTES, parseYamlDocuments } from '../util/yaml.js';

/** The same alias budget as src/util/yaml.ts: real bundles use a few dozen (`variables:` anchors). */
const MAX_ALIASES = 100;
import type { PlainMap } from './merge.js';

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

/** The first key that is a list, a map or null: Juju's bundle maps are keyed by strings. */
function findNonStringKey(docs: readonly Document.Parsed[]): { offset: number; what: string } | undefined {
  for (const doc of docs) {
    let found: { offset: number; what: string } | undefined;
    visit(doc, {
      Pair(_, pair) {
        if (!isPair(pair)) return undefined;
        const key = pair.key;
        const bad = isCollection(key)
          ? 'a list or map'
          : key === null || (isScalar(key) && key.value === null)
            ? 'empty'
            : undefined;
        if (bad) {
          const range =
            (key as { range?: [number, number, number] } | null)?.range ??
            (pair.value as { range?: [number] } | null)?.range;
          found = { offset: range?.[0] ?? 0, what: bad };
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (found) return found;
  }
  return undefined;
}

/**
 * The documents as plain values, parsed once. Anything wrong (syntax, an alias bomb) is handed to the
 * shared parseYamlDocuments, which throws the project's one wording with source:line:column.
 */
function toPlainDocuments(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(docs)) return [];
  if (docs.some((doc) => doc.errors.length > 0)) return parseYamlDocuments(text, source);
  // keys first: converting a collection key to JS would only warn and stringify it
  const badKey = findNonStringKey(docs);
  if (badKey) {
    throw new InputError(
      `${source}:${position(text, badKey.offset)}: a bundle's keys must be strings, this key is ${badKey.what}; quote it or remove it.`,
    );
  }
  try {
    return docs.map((doc) => doc.toJS({ maxAliasCount: MAX_ALIASES }));
  } catch {
    return parseYamlDocuments(text, source);
  }
}

/**
 * Parse a bundle file: the base document and any overlays after `---`. Refuses, with exit 2 and
 * source:line:column where there is one, what Juju could never read: bad YAML, alias bombs, oversized
 * input, a document that is a list or a scalar, keys that are not strings, an empty file.
 */
export function parseBundleText(text: string, source: string): PlainMap[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_YAML_BYTES) {
    throw new InputError(
      `${source}: the bundle is ${Math.round(bytes / 1024)} KiB, over the ${Math.round(MAX_YAML_BYTES / 1024)} KiB limit; is this really a bundle?`,
    );
  }
  const documents = toPlainDocuments(text, source);
  const nonEmpty = documents.filter((doc, index) => !(doc === null && index > 0));
  if (nonEmpty.length === 0 || nonEmpty[0] === null) {
    throw new InputError(
      `${source}: malformed bundle: bundle is empty not valid; give it an applications: map.`,
    );
  }
  nonEmpty.forEach((doc, index) => {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      const kind = Array.isArray(doc)
        ? 'a list'
        : doc === null
          ? 'empty'
          : `the scalar ${JSON.stringify(doc)}`;
      throw new InputError(
        `${source}: document ${index} is ${kind}, not a map; a bundle is a map with applications: (and relations:, machines:).`,
      );
    }
  });
  return nonEmpty as PlainMap[];
}
