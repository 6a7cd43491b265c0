import test from 'ava';
import { parseBundleText } from '../../src/bundle/parse.js';
import { validateBundle } from '../../src/bundle/validate.js';
import { InputError } from '../../src/util/errors.js';
import { largeBundle } from '../../src/bundle/synthetic.js';

function refused(t: import('ava').ExecutionContext, text: string, pattern: RegExp) {
  const error = t.throws(() => parseBundleText(text, 'bundle.yaml'), { instanceOf: InputError });
  // Juju's words first, then lxdstack's hint with file:line:column
  t.regex(
    error.message,
    /^(cannot unmarshal bundle contents: unmarshal document \d+: .* not valid|malformed bundle: bundle is empty not valid)$|limit/,
  );
  t.regex([error.message, ...error.details].join('\n'), pattern);
  t.is(error.exitCode, 2);
}

test('base and overlays come back as maps, one per document', (t) => {
  const docs = parseBundleText(
    'applications:\n  a: {charm: ch:x}\n---\napplications:\n  a:\n    num_units: 2\n',
    'b.yaml',
  );
  t.is(docs.length, 2);
});

test('malformed YAML is refused with file:line:column', (t) => {
  refused(t, 'applications:\n  a:\n    charm: [unclosed\n', /^bundle\.yaml:\d+:\d+: /m);
  refused(
    t,
    'applications:\n  a: {charm: x}\n  a: {charm: y}\n',
    /^bundle\.yaml:3:3: Map keys must be unique/m,
  );
});

test('a YAML alias bomb is refused at once', (t) => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  lines.push('applications: {x: {charm: ch:x}}');
  refused(t, lines.join('\n'), /alias bomb/);
});

test('a 50 MB file is refused by size before parsing', (t) => {
  const big = `applications:\n  a:\n    charm: ch:x\n    options:\n      blob: "${'x'.repeat(50 * 1024 * 1024)}"\n`;
  refused(t, big, /over the \d+ KiB limit/);
});

test('a bundle that is a list, a scalar or empty is refused', (t) => {
  refused(t, '- applications\n- relations\n', /document 0 is a list, not a map/);
  refused(t, 'just a string\n', /document 0 is the scalar "just a string", not a map/);
  refused(t, '', /bundle is empty/);
  refused(t, '# only a comment\n', /bundle is empty/);
  refused(t, 'applications: {a: {charm: ch:x}}\n---\n42\n', /document 1 is the scalar 42, not a map/);
});

test('keys that are lists, maps or empty are refused with their position', (t) => {
  refused(
    t,
    'applications:\n  ? [a, b]\n  : {charm: ch:x}\n',
    /^bundle\.yaml:2:5: a bundle's keys must be strings, this key is a list or map/m,
  );
  refused(
    t,
    'applications:\n  a: {charm: ch:x}\n  ? {x: 1}\n  : 2\n',
    /^bundle\.yaml:3:5: .* a list or map/m,
  );
  refused(t, 'applications:\n  a: {charm: ch:x}\n  ~: 2\n', /^bundle\.yaml:3:3: .* empty/m);
});

test('numeric keys are read as strings, as goyaml reads machine ids', (t) => {
  const [bundle] = parseBundleText(
    'applications:\n  a: {charm: ch:x, num_units: 1, to: [0]}\nmachines:\n  0:\n',
    'b',
  );
  t.deepEqual(validateBundle({ base: bundle }, { juju: '3' }), {
    valid: true,
    errors: [],
    warnings: [],
    unchecked: ['ch:x'],
  });
});

test('a generated bundle of 1,000 applications and 3,000 relations validates', (t) => {
  const bundle = largeBundle(1000, 3000);
  const result = validateBundle({ base: parseBundleText(bundle, 'large.yaml')[0] }, { juju: '3' });
  t.deepEqual([result.valid, result.errors], [true, []]);
});
