import test from 'ava';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseYaml } from '../../src/util/yaml.js';
import { defaultSpec, specKeyPaths } from '../../src/lab/defaults.js';
import { FIELD_DOCS } from '../../src/lab/docs.js';
import { readAnswersFile, renderLabYaml, writeLabYaml } from '../../src/lab/labfile.js';
import { buildSpec } from '../../src/lab/validate.js';
import { InputError } from '../../src/util/errors.js';

const tricky = [
  'a: b # c',
  `it's "quoted"`,
  'line one\nline two',
  '*alias-looking',
  '&anchor-looking',
  '!tagged',
  'ünïcødé ☃ 密码',
  '- dash first',
  '{braces}',
  'yes',
  '0123',
  ' leading and trailing ',
];

test('lab.yaml -> spec -> lab.yaml loses nothing, even for YAML-special passwords', (t) => {
  for (const password of tricky.filter((p) => p.length >= 8)) {
    const spec = buildSpec(
      {
        profile: 'modern',
        adminPassword: password,
        // the one-line free-text fields refuse control characters; cloud names and proxy URLs have rules
        ...(password.includes('\n') ? {} : { sshPublicKey: password }),
      },
      { source: 'x' },
    );
    const text = renderLabYaml(spec);
    const again = buildSpec(parseYaml(text, 'lab.yaml'), { source: 'lab.yaml' });
    t.deepEqual(again, spec, password);
    t.is(renderLabYaml(again), text);
  }
});

test('any string password round-trips (property)', (t) => {
  fc.assert(
    fc.property(fc.string({ minLength: 8, maxLength: 40, unit: 'binary' }), (password) => {
      const spec = buildSpec({ adminPassword: password }, { source: 'x' });
      const back = buildSpec(parseYaml(renderLabYaml(spec), 'lab.yaml'), { source: 'x' });
      return back.adminPassword === password;
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('every key of the written lab.yaml has a comment', (t) => {
  const text = renderLabYaml(defaultSpec('tutorial-2016'));
  const lines = text.split('\n');
  for (const path of specKeyPaths(defaultSpec('tutorial-2016'))) {
    t.truthy(FIELD_DOCS[path], `no doc for ${path}`);
    const key = path.split('.').pop()!;
    const index = lines.findIndex((line) => line.trimStart().startsWith(`${key}:`));
    t.true(index > 0 && lines[index - 1]!.trimStart().startsWith('#'), `no comment above ${path}`);
  }
  t.regex(text, /# adminPassword: \.\.\./);
});

test('writeLabYaml writes mode 0600 atomically', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'labfile-'));
  const path = join(dir, 'lab.yaml');
  await writeLabYaml(path, buildSpec({ adminPassword: 'secret-pass-1' }, { source: 'x' }));
  t.is((await stat(path)).mode & 0o777, 0o600);
  t.regex(await readFile(path, 'utf8'), /adminPassword: secret-pass-1/);
});

test('a YAML syntax error names file:line:column', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'labfile-'));
  const path = join(dir, 'broken.yaml');
  await writeFile(path, 'name: lab\nnetwork:\n  gateway: [10.0.0.1\n');
  const error = await t.throwsAsync(readAnswersFile(path), { instanceOf: InputError });
  t.regex(error.message, /broken\.yaml:\d+:\d+: /);
});

test('an alias bomb is refused, not expanded', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'labfile-'));
  const path = join(dir, 'bomb.yaml');
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  await writeFile(path, lines.join('\n'));
  await t.throwsAsync(readAnswersFile(path), { instanceOf: InputError, message: /alias/i });
});

test('an oversized answers file is refused before parsing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'labfile-'));
  const path = join(dir, 'huge.yaml');
  await writeFile(path, `name: x\n# ${'y'.repeat(2 * 1024 * 1024)}\n`);
  await t.throwsAsync(readAnswersFile(path), { instanceOf: InputError, message: /over the 1024 KiB limit/ });
});
