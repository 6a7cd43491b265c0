// Reading a bundle file's text into its documents (the base and any overlays after `---`). What Juju
// could never read is refused with exit 2: Juju's words first (`cannot unmarshal bundle contents: ...`,
// `malformed bundle: bundle is empty not valid`), then lxdstack's hint with file:line:column.
import { isCollection, isPair, isScalar, isSeq, parseAllDocuments, visit, type Document } from 'yaml';
import { InputError, errorMessage } from '../util/errors.js';
import { MAX_YAML_BYTES } from '../util/yaml.js';
import type { PlainMap } from './merge.js';

/** The same alias budget as src/util/yaml.ts: real bundles use a few dozen (`variables:` anchors). */
const MAX_ALIASES = 100;

/** Juju's wrapping of a document it cannot decode, as `juju deploy ./bundle.yaml` prints it. */
function unreadable(index: number, problem: string, hint: string): InputError {
  return new InputError(
    `cannot unmarshal bundle contents: unmarshal document ${index}: ${problem} not valid`,
    {
      details: [hint],
    },
  );
}

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

/** The first key that is a list, a map or null: Juju's bundle maps are keyed by strings. */
function findNonStringKey(doc: Document.Parsed): { offset: number; tag: string; what: string } | undefined {
  let found: { offset: number; tag: string; what: string } | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair)) return undefined;
      const key = pair.key;
      const collection = isCollection(key);
      const empty = key === null || (isScalar(key) && key.value === null);
      if (!collection && !empty) return undefined;
      const range =
        (key as { range?: [number, number, number] } | null)?.range ??
        (pair.value as { range?: [number] } | null)?.range;
      const offset = range?.[0] ?? 0;
      found = collection
        ? { offset, tag: isSeq(key) ? '!!seq' : '!!map', what: 'a list or map' }
        : { offset, tag: '!!null', what: 'empty' };
      return visit.BREAK;
    },
  });
  return found;
}

function documentKind(doc: unknown): { tag: string; what: string } {
  if (Array.isArray(doc)) return { tag: '!!seq', what: 'a list' };
  return { tag: typeof doc === 'number' ? '!!int' : '!!str', what: `the scalar ${JSON.stringify(doc)}` };
}

/** One parsed document as a plain value; what Juju could not decode throws its words and our hint. */
function toPlain(doc: Document.Parsed, index: number, text: string, source: string): unknown {
  const error = doc.errors[0];
  if (error) {
    const { line, col } = error.linePos?.[0] ?? { line: 0, col: 0 };
    const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw unreadable(
      index,
      `yaml: line ${line}: ${message}`,
      `${source}:${line}:${col}: ${message}; fix the YAML there.`,
    );
  }
  // keys first: converting a collection key to JS would only warn and stringify it
  const badKey = findNonStringKey(doc);
  if (badKey) {
    const { line, col } = position(text, badKey.offset);
    throw unreadable(
      index,
      `yaml: unmarshal errors: line ${line}: cannot unmarshal ${badKey.tag} into string`,
      `${source}:${line}:${col}: a bundle's keys must be strings, this key is ${badKey.what}; quote it or remove it.`,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (cause) {
    throw unreadable(
      index,
      'yaml: document contains excessive aliasing',
      `${source}: ${errorMessage(cause)} (too many aliases; is this a YAML alias bomb?)`,
    );
  }
}

/**
 * Parse a bundle file: the base document and any overlays after `---`. Refuses, with exit 2, what Juju
 * could never read: bad YAML, alias bombs, oversized input, a document that is a list or a scalar, keys
 * that are not strings, an empty file.
 */
export function parseBundleText(text: string, source: string): PlainMap[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_YAML_BYTES) {
    throw new InputError(
      `${source}: the bundle is ${Math.round(bytes / 1024)} KiB, over the ${Math.round(MAX_YAML_BYTES / 1024)} KiB limit; is this really a bundle?`,
    );
  }
  const parsed = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const documents = docs.map((doc, index) => toPlain(doc, index, text, source));
  const nonEmpty = documents.filter((doc, index) => !(doc === null && index > 0));
  if (nonEmpty.length === 0 || nonEmpty[0] === null) {
    throw new InputError('malformed bundle: bundle is empty not valid', {
      details: [`${source}: the file holds no bundle; give it an applications: map.`],
    });
  }
  nonEmpty.forEach((doc, index) => {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      const { tag, what } = documentKind(doc);
      throw unreadable(
        index,
        `yaml: unmarshal errors: cannot unmarshal ${tag} into charm.BundleData`,
        `${source}: document ${index} is ${what}, not a map; a bundle is a map with applications: (and relations:, machines:).`,
      );
    }
  });
  return nonEmpty as PlainMap[];
}
