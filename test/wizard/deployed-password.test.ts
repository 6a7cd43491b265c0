import test from 'ava';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit } from '../../src/commands/init.js';
import { Ledger } from '../../src/state/ledger.js';
import { promptSession } from '../helpers/prompts.js';

// A password typed in the wizard for a lab that is already deployed must not replace the one keystone's
// admin runs with: the file is kept, and the wizard says so.

async function deployedLab(): Promise<{ dir: string; passwordFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-deployed-'));
  const labDir = join(dir, '.lxdstack', 'lab-two');
  await mkdir(labDir, { recursive: true });
  const passwordFile = join(labDir, 'admin-password');
  await writeFile(passwordFile, 'the-deployed-one\n', { mode: 0o600 });
  const ledger = await Ledger.open(labDir, 'lab-two', 'deploy');
  const record = await ledger.beginResource({ kind: 'controller', name: 'lxdstack' });
  await ledger.commitResource(record.id);
  return { dir, passwordFile };
}

const SCRIPT = [
  [/^Lab name/, ['lab-two']],
  [/^Components/, [{ checked: [] }]],
  [/^Admin password/, ['a-new-typed-one']],
] as Parameters<typeof promptSession>[1];

test("a typed password leaves a deployed lab's admin-password as it is, and says so", async (t) => {
  const { dir, passwordFile } = await deployedLab();
  const s = promptSession(dir, SCRIPT);
  const code = await runInit({ profile: 'modern' }, s.ctx);
  t.is(code, 0, s.screen());
  t.is(await readFile(passwordFile, 'utf8'), 'the-deployed-one\n');
  t.true(
    s.screen().includes(`Lab lab-two is deployed: it keeps its admin password in ${passwordFile}`),
    s.screen(),
  );
  t.notRegex(await readFile(join(dir, 'lab.yaml'), 'utf8'), /a-new-typed-one/);
});

test('a typed password for a lab with nothing deployed replaces its admin-password', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-deployed-'));
  const passwordFile = join(dir, '.lxdstack', 'lab-two', 'admin-password');
  await mkdir(join(dir, '.lxdstack', 'lab-two'), { recursive: true });
  await writeFile(passwordFile, 'an-old-one\n', { mode: 0o600 });
  const s = promptSession(dir, SCRIPT);
  t.is(await runInit({ profile: 'modern' }, s.ctx), 0, s.screen());
  t.is(await readFile(passwordFile, 'utf8'), 'a-new-typed-one\n');
  t.true(s.screen().includes(`The admin password you typed is in ${passwordFile} (mode 0600)`));
});
