import test from 'ava';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAnswersFile } from '../../src/lab/labfile.js';
import { buildSpec } from '../../src/lab/validate.js';
import { InputError } from '../../src/util/errors.js';
import { escapeControl } from '../../src/util/text.js';
import { parseYaml } from '../../src/util/yaml.js';

// Messages a person reads once and understands.

function problems(yaml: string): InputError {
  try {
    buildSpec(parseYaml(yaml, 'lab.yaml'), { source: 'lab.yaml' });
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected the answers to be refused');
}

test('a value YAML reads as a number gets the hint to quote it', (t) => {
  const error = problems('profile: tutorial-2016\nseries: 16.04\n');
  t.is(error.message, 'lab.yaml: 1 problem in the lab answers; fix it and run again:');
  t.deepEqual(error.details, [
    'series: expected string, received number (got 16.04); YAML read it as a number: write it in quotes, "16.04"',
  ]);
});

test('two documents in an answers file: said in words, not the YAML library’s advice', (t) => {
  const error = t.throws(() => parseYaml('name: a\n---\nname: b\n', 'lab.yaml'));
  t.is(
    error.message,
    'lab.yaml:2:1: the file holds more than one YAML document (a line of ---); keep one document here',
  );
  t.notRegex(error.message, /parseAllDocuments/);
});

test('a symlink loop is named as such', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-loop-'));
  await symlink(join(dir, 'b.yaml'), join(dir, 'a.yaml'));
  await symlink(join(dir, 'a.yaml'), join(dir, 'b.yaml'));
  await t.throwsAsync(readAnswersFile(join(dir, 'a.yaml')), {
    instanceOf: InputError,
    message: `The answers file ${join(dir, 'a.yaml')} is a symlink loop (its links lead back to themselves); point it at a real file.`,
  });
});

test('free-text fields are checked before anything acts on them, naming the field', (t) => {
  const error = problems(
    'target: {kind: maas, cloud: "maas lab"}\nproxy: {http: "proxy:3128", https: "ftp://p.example"}\nsshPublicKey: "~/.ssh/id\\u001b[2J.pub"\n',
  );
  t.deepEqual(error.details, [
    'target.cloud: "maas lab" is not a Juju cloud name; use letters, digits, dots and dashes, as `juju clouds` lists it',
    'proxy.http: "proxy:3128" is not an http:// or https:// URL; write it like http://proxy.example:3128',
    'proxy.https: "ftp://p.example" is not an http:// or https:// URL; write it like http://proxy.example:3128',
    'sshPublicKey: "~/.ssh/id\\u001b[2J.pub" holds a control character; remove it',
  ]);
  t.false(error.details.join('').includes('\x1b'), 'the control character is never printed raw');
});

test('control characters are shown as escapes', (t) => {
  t.is(escapeControl('a\x1b[2Jb\x07\u009b\n\tc'), 'a\\x1b[2Jb\\x07\\x9b\n\tc');
});
