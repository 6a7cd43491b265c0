import test from 'ava';
import { execa } from 'execa';
import { lstat, mkdir, mkdtemp, readFile, readdir, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { makeFolder } from '../../src/util/fs.js';
import { runCli } from '../helpers/cli.js';

// Outputs never replace what is not a regular file, inputs that are not regular files are refused
// before reading, and the OS refusing a write is exit 2 `cannot write PATH: reason`, not a bug. Through
// the built CLI (`npm run build` first).

async function lab() {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-files-'));
  await writeLabYaml(join(cwd, 'lab.yaml'), defaultSpec('tutorial-2016'));
  const env = { LXDSTACK_LOG_DIR: join(cwd, 'logs') };
  return { cwd, run: (args: string[]) => runCli(args, { cwd, env, timeoutMs: 90_000 }) };
}

// A private copy of /dev/null (same device numbers) in the test's folder: were the device ever replaced
// by a regular file again, only this copy would be lost, never the system's /dev/null.
test('graph -o a device (a null device) writes through it and puts nothing beside it', async (t) => {
  const { cwd, run } = await lab();
  const device = join(cwd, 'null');
  const made = await execa('mknod', ['-m', '666', device, 'c', '1', '3'], { reject: false });
  if (made.exitCode !== 0) return t.pass('mknod needs root; the device case is not run here');
  const result = await run(['graph', '-o', device]);
  t.is(result.exitCode, 0, result.stderr);
  t.true((await stat(device)).isCharacterDevice());
  t.deepEqual(
    (await readdir(cwd)).filter((f) => f.startsWith('null')),
    ['null'],
  );
});

test('graph -o - writes the SVG to stdout', async (t) => {
  const { run } = await lab();
  const result = await run(['graph', '-o', '-']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /<svg[\s\S]*<\/svg>/);
});

test('graph -o through a symlink writes the file it names and keeps the link', async (t) => {
  const { cwd, run } = await lab();
  await symlink(join(cwd, 'real.svg'), join(cwd, 'link.svg'));
  const result = await run(['graph', '-o', 'link.svg']);
  t.is(result.exitCode, 0, result.stderr);
  t.true((await lstat(join(cwd, 'link.svg'))).isSymbolicLink());
  t.regex(await readFile(join(cwd, 'real.svg'), 'utf8'), /<svg/);
});

test('graph -o a folder, a missing folder or a folder it may not write is exit 2 naming the path and why', async (t) => {
  const { cwd, run } = await lab();
  await mkdir(join(cwd, 'folder.svg'));
  const cases: [string, RegExp][] = [
    ['folder.svg', /^error: cannot write .*\/folder\.svg: it is a folder \(EISDIR\)$/m],
    [
      'missing/topology.svg',
      /^error: cannot write .*\/missing\/topology\.svg: the folder it goes in does not exist \(ENOENT\)$/m,
    ],
    ['/sys/topology.svg', /^error: cannot write \/sys\/topology\.svg: permission denied \(EACCES\)$/m],
  ];
  for (const [output, message] of cases) {
    const result = await run(['graph', '-o', output]);
    t.is(result.exitCode, 2, output);
    t.regex(result.stderr, message);
    t.notRegex(result.stderr, /a bug in lxdstack/);
  }
  // No folder was created that nobody asked for.
  t.false((await readdir(cwd)).includes('missing'));
});

test('a FIFO as the answers file or as a bundle is refused at once, not read', async (t) => {
  const { cwd, run } = await lab();
  const fifo = join(cwd, 'answers.fifo');
  await execa('mkfifo', [fifo]);
  const answers = await run(['plan', '--answers', fifo]);
  t.is(answers.exitCode, 2);
  t.regex(
    answers.stderr,
    /^error: cannot read .*answers\.fifo: it is not a regular file \(a FIFO, device or socket\); The answers file must be a regular file\.$/m,
  );
  const bundle = await run(['bundle', 'validate', fifo]);
  t.is(bundle.exitCode, 2);
  t.regex(bundle.stderr, /cannot read .*answers\.fifo: it is not a regular file/);
});

test('making a folder under /proc fails at once instead of spinning', async (t) => {
  const error = await t.throwsAsync(makeFolder('/proc/no-such/reports'));
  t.regex(error!.message, /^cannot write \/proc\/no-such: the folder it goes in does not exist \(ENOENT\)$/);
});
