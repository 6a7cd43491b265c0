import test from 'ava';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCharmsDir, readLocalCharms } from '../../src/bundle/charms/folder.js';
import { InputError } from '../../src/util/errors.js';

async function charmsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'charms-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function refused(t: import('ava').ExecutionContext, dir: string, name: string, pattern: RegExp) {
  const error = await t.throwsAsync(readCharmsDir(dir, [name]), { instanceOf: InputError });
  t.regex(error.message, pattern);
  t.false(error.message.includes('\n'), 'one line');
  t.is(error.exitCode, 2);
}

test('a charm folder: metadata.yaml, config.yaml and actions.yaml; a charm DIR lacks is left out', async (t) => {
  const dir = await charmsDir({
    'db/metadata.yaml': 'name: db\nprovides:\n  server: mysql\n',
    'db/config.yaml': 'options:\n  port: {type: int, default: 3306}\n',
  });
  const charms = await readCharmsDir(dir, ['db', 'missing']);
  t.deepEqual([...charms.keys()], ['db']);
  t.deepEqual(charms.get('db')!.endpoints, { server: { role: 'provider', interface: 'mysql' } });
  t.deepEqual(charms.get('db')!.options, { port: { type: 'int', default: 3306 } });
});

test('bad input in --charms: one line naming the file, exit 2', async (t) => {
  const dir = await charmsDir({
    'broken/metadata.yaml': 'name: broken\nprovides: [unclosed\n',
    'list/metadata.yaml': '- name\n- list\n',
    'nometa/config.yaml': 'options: {}\n',
    'badconfig/metadata.yaml': 'name: badconfig\n',
    'badconfig/config.yaml': 'options:\n  x: {type: complex}\n',
    'noiface/metadata.yaml': 'name: noiface\nrequires:\n  db: {scope: container}\n',
    'file-not-folder': 'just a file\n',
  });
  await refused(t, dir, 'broken', /broken\/metadata\.yaml:\d+:\d+: .*; fix the YAML\.$/);
  await refused(t, dir, 'list', /list\/metadata\.yaml is a list, not a map/);
  await refused(
    t,
    dir,
    'nometa',
    /nometa\/metadata\.yaml does not exist; every charm folder needs a metadata\.yaml/,
  );
  await refused(t, dir, 'badconfig', /badconfig\/config\.yaml: option x has unknown type "complex"/);
  await refused(t, dir, 'noiface', /noiface\/metadata\.yaml: requires\.db has no interface/);
  await refused(t, dir, 'file-not-folder', /file-not-folder is a file; a charm in --charms is a folder/);
  await mkdir(join(dir, 'loop'));
  await symlink(join(dir, 'loop', 'metadata.yaml'), join(dir, 'loop', 'metadata.yaml'));
  await refused(t, dir, 'loop', /loop\/metadata\.yaml is a symlink loop/);
  await symlink(join(dir, 'self'), join(dir, 'self'));
  await refused(t, dir, 'self', /self is a symlink loop/);
  await mkdir(join(dir, 'huge'));
  await writeFile(join(dir, 'huge', 'metadata.yaml'), `name: huge\n#${'x'.repeat(50 * 1024 * 1024)}\n`);
  await refused(t, dir, 'huge', /huge\/metadata\.yaml is 51200 KiB, over the \d+ KiB limit/);
  const notDir = await t.throwsAsync(readCharmsDir(join(dir, 'file-not-folder'), []), {
    instanceOf: InputError,
  });
  t.regex(notDir.message, /^--charms .*file-not-folder is not a folder/);
});

test('local charms: a folder is read, an archive is not (null), a missing path is left to the path check', async (t) => {
  const dir = await charmsDir({ 'mine/metadata.yaml': 'name: mine\n', 'mine.charm': 'PK' });
  const charms = await readLocalCharms([join(dir, 'mine'), join(dir, 'mine.charm'), join(dir, 'gone')]);
  t.is(charms.get(join(dir, 'mine'))?.name, 'mine');
  t.is(charms.get(join(dir, 'mine.charm')), null);
  t.false(charms.has(join(dir, 'gone')));
});
