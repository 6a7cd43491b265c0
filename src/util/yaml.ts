import { parseAllDocuments, parseDocument, stringify, type Document } from 'yaml';
import { InputError, errorMessage } from './errors.js';
import { readInputFile } from './fs.js';

/** Inputs larger than this are refused before parsing, so a huge file can never hang a command. */
export const MAX_YAML_BYTES = 5 * 1024 * 1024;
const MAX_ALIASES = 100;

/** The yaml library's advice is for programmers ("use YAML.parseAllDocuments()"): say it for people. */
function plainWords(message: string): string {
  if (/multiple documents/i.test(message))
    return 'the file holds more than one YAML document (a line of ---); keep one document here';
  return message;
}

function describeParseError(
  source: string,
  error: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] },
): string {
  const first = plainWords(error.message.split('\n')[0] ?? error.message);
  const pos = error.linePos?.[0];
  return pos
    ? `${source}:${pos.line}:${pos.col}: ${first.replace(/ at line \d+, column \d+:?$/, '')}`
    : `${source}: ${first}`;
}

function toPlain(doc: Document.Parsed, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new InputError(`${source}: ${errorMessage(error)} (too many aliases; is this a YAML alias bomb?)`);
  }
}

/** Parse one YAML document; syntax errors become an InputError naming source:line:column. */
export function parseYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(describeParseError(source, doc.errors[0]!), {
      details: doc.errors.slice(1).map((e) => describeParseError(source, e)),
    });
  }
  return toPlain(doc, source);
}

/** Parse a multi-document YAML stream (bundles with `---` overlays). */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(docs)) {
    // the yaml library returns an EmptyStream for an empty input
    return [];
  }
  const errors = docs.flatMap((doc) => doc.errors);
  if (errors.length > 0) {
    throw new InputError(describeParseError(source, errors[0]!), {
      details: errors.slice(1).map((e) => describeParseError(source, e)),
    });
  }
  return docs.map((doc) => toPlain(doc, source));
}

/**
 * Read a YAML file with a size limit; a missing, unreadable or non-regular file (a FIFO would block
 * forever) is an error saying what to do.
 */
export async function readYamlText(path: string, what: string, maxBytes = MAX_YAML_BYTES): Promise<string> {
  return readInputFile(path, what, maxBytes);
}

/**
 * One YAML scalar (or flow value) as text, for placing a user's value into a template: the library does
 * the quoting, so `a: b # c`, leading `*`/`&`/`!`, quotes and newlines round-trip exactly.
 */
export function yamlScalar(value: unknown): string {
  if (typeof value === 'string' && value.includes('\n')) {
    return JSON.stringify(value);
  }
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}
