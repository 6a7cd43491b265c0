import test from 'ava';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runInit, type InitOptions } from '../../src/commands/init.js';
import type { CommandContext } from '../../src/util/context.js';
import { parseYaml } from '../../src/util/yaml.js';
import { buildSpec } from '../../src/lab/validate.js';

const ENTER = '\r';
const SPACE = ' ';
const CTRL_C = '\x03';

interface Session {
  ctx: CommandContext;
  screen: () => string;
}

function session(cwd: string): Session {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let screen = '';
  stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  const ctx: CommandContext = {
    cwd,
    env: {},
    stdin,
    stdout,
    stderr,
    interactive: true,
    signal: new AbortController().signal,
  };
  return { ctx, screen: () => screen };
}

/** Types each key once the wizard has drawn something new since the previous key. */
async function typeKeys(s: Session, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const before = s.screen().length;
    for (let waited = 0; s.screen().length === before && waited < 1000; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 15));
    (s.ctx.stdin as PassThrough).write(key);
  }
}

async function drive(cwd: string, options: InitOptions, keys: readonly string[]) {
  const s = session(cwd);
  const done = runInit(options, s.ctx);
  await typeKeys(s, keys);
  return { code: await done, screen: s.screen() };
}

async function readLab(path: string) {
  return buildSpec(parseYaml(await readFile(path, 'utf8'), path), { source: path });
}

test('tutorial-2016: accepting every default writes the default lab', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  // name, engine, target, components, compute, osd, network?, ssh key, password, proxy?, lxd?, write?
  const { code, screen } = await drive(dir, { profile: 'tutorial-2016' }, Array(12).fill(ENTER));
  t.is(code, 0);
  const spec = await readLab(join(dir, 'lab.yaml'));
  t.is(spec.profile, 'tutorial-2016');
  t.is(spec.sizing.osdCount, 3);
  t.regex(screen, /Host budget for tutorial-2016/);
  t.regex(screen, /RAM\s+needs 16 GiB/);
  t.regex(screen, /Next: lxdstack plan/);
  t.regex(screen, /nova-compute units: each hosts instances/, 'each question carries its why');
});

test('modern: asks neither the engine nor, on noble, the release; typed answers land in lab.yaml', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  const keys = [
    'lab-two',
    ENTER, // name
    ENTER, // target (no release question: noble has 2024.1 only)
    SPACE,
    ENTER, // components: toggle the dashboard off (ceph is not offered on this host without OSD devices)
    '\b3',
    ENTER, // compute units (no osd question: ceph is off)
    ENTER,
    ENTER, // network? ssh key
    'pa: ss # word',
    ENTER, // password
    ENTER,
    ENTER,
    ENTER, // proxy? lxd? write?
  ];
  const { code, screen } = await drive(dir, { profile: 'modern' }, keys);
  t.is(code, 0, screen);
  const spec = await readLab(join(dir, 'lab.yaml'));
  t.is(spec.name, 'lab-two');
  t.is(spec.openstackRelease, '2024.1');
  t.false(spec.components.ceph);
  t.false(spec.components.dashboard);
  t.is(spec.sizing.computeUnits, 3);
  t.is(spec.adminPassword, 'pa: ss # word');
  t.notRegex(screen, /Deploy with/);
  t.notRegex(screen, /pa: ss # word/, 'the password is never echoed');
});

test('the profile question comes first when not given, and re-running offers the previous answers', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  await writeFile(
    join(dir, 'lab.yaml'),
    'name: previous-lab\nprofile: novalxd-final\nsizing:\n  computeUnits: 2\n',
  );
  // profile (default: previous), then accept everything
  const { code, screen } = await drive(dir, {}, Array(13).fill(ENTER));
  t.is(code, 0, screen);
  const spec = await readLab(join(dir, 'lab.yaml'));
  t.is(spec.profile, 'novalxd-final');
  t.is(spec.name, 'previous-lab');
  t.is(spec.sizing.computeUnits, 2);
});

test('flags and the answers file are not asked again (precedence)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  await writeFile(join(dir, 'lab.yaml'), 'name: old-name\n');
  await writeFile(
    join(dir, 'answers.yaml'),
    'name: from-file\nprofile: modern\nsizing: {computeUnits: 4, osdCount: 3}\n',
  );
  const s = session(dir);
  const code = await runInit({ answers: 'answers.yaml', name: 'from-flag' }, s.ctx);
  t.is(code, 0);
  const spec = await readLab(join(dir, 'lab.yaml'));
  t.is(spec.name, 'from-flag');
  t.is(spec.profile, 'modern');
  t.is(spec.sizing.computeUnits, 4);
  t.notRegex(s.screen(), /\?/, 'no question was asked');
});

test('--yes keeps the previous lab.yaml values and fills the rest with defaults', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  await writeFile(join(dir, 'lab.yaml'), 'name: kept\nprofile: modern\n');
  const s = session(dir);
  t.is(await runInit({ yes: true }, { ...s.ctx, interactive: false }), 0);
  const spec = await readLab(join(dir, 'lab.yaml'));
  t.is(spec.name, 'kept');
  t.is(spec.profile, 'modern');
});

test('Ctrl-C stops the wizard and writes nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  const s = session(dir);
  const done = runInit({ profile: 'tutorial-2016' }, s.ctx);
  await typeKeys(s, [ENTER, CTRL_C]);
  const error = await t.throwsAsync(done);
  t.is(error?.name, 'ExitPromptError');
  await t.throwsAsync(access(join(dir, 'lab.yaml')));
});

test('without a terminal the wizard refuses and points to --answers/--yes', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  const s = session(dir);
  await t.throwsAsync(runInit({}, { ...s.ctx, interactive: false }), {
    message: /pass --yes .* or --answers FILE/,
  });
  await t.throwsAsync(access(join(dir, 'lab.yaml')));
});

test('--gen-config prints the commented template and writes nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  const s = session(dir);
  t.is(await runInit({ genConfig: true, profile: 'modern' }, s.ctx), 0);
  t.regex(s.screen(), /# OpenStack release the charms install\nopenstackRelease: "?2024\.1"?/);
  await t.throwsAsync(access(join(dir, 'lab.yaml')));
});
