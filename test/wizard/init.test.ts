import test from 'ava';
import { access, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit, type InitOptions } from '../../src/commands/init.js';
import type { CommandContext } from '../../src/util/context.js';
import { parseYaml } from '../../src/util/yaml.js';
import { buildSpec } from '../../src/lab/validate.js';
import { CTRL_C, promptSession } from '../helpers/prompts.js';
import { InputError } from '../../src/util/errors.js';

interface Session {
  ctx: CommandContext;
  screen: () => string;
}

/** A context for the flows that ask nothing (flags, --answers, --yes). */
function session(cwd: string): Session {
  const s = promptSession(cwd, []);
  return { ctx: s.ctx, screen: s.screen };
}

async function drive(cwd: string, options: InitOptions, script: Parameters<typeof promptSession>[1]) {
  const s = promptSession(cwd, script);
  const code = await runInit(options, s.ctx);
  return { code, screen: s.screen(), asked: s.asked, errors: s.errors, unscripted: s.unscripted };
}

async function readLab(path: string) {
  return buildSpec(parseYaml(await readFile(path, 'utf8'), path), { source: path });
}

test('tutorial-2016: accepting every default writes the default lab', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  const { code, screen, asked } = await drive(dir, { profile: 'tutorial-2016' }, []);
  t.is(code, 0);
  // name, engine, target, components, compute, osd, network?, ssh key, password, proxy?, lxd?, write?
  t.is(asked.length, 12, asked.join('\n'));
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
  const { code, screen, asked } = await drive(dir, { profile: 'modern' }, [
    [/^Lab name/, ['lab-two']],
    // no release question: noble has 2024.1 only; ceph is not offered on this host without OSD devices
    [/^Components/, [{ checked: [] }]],
    [/^Compute units/, ['3']],
    [/^Admin password/, ['pa: ss # word']],
  ]);
  t.is(code, 0, screen);
  t.false(
    asked.some((m) => /Ceph OSD units|OpenStack release/.test(m)),
    'no release question on noble, no osd question: ceph is off',
  );
  const spec = await readLab(join(dir, 'lab.yaml'));
  t.is(spec.name, 'lab-two');
  t.is(spec.openstackRelease, '2024.1');
  t.false(spec.components.ceph);
  t.false(spec.components.dashboard);
  t.is(spec.sizing.computeUnits, 3);
  t.notRegex(screen, /Deploy with/);
  t.notRegex(screen, /pa: ss # word/, 'the password is never echoed');
  // a typed password goes to the lab's folder, mode 0600, not into lab.yaml (meant for reuse and CI)
  t.is(spec.adminPassword, undefined);
  const passwordFile = join(dir, '.lxdstack', 'lab-two', 'admin-password');
  t.is(await readFile(passwordFile, 'utf8'), 'pa: ss # word\n');
  t.is((await stat(passwordFile)).mode & 0o777, 0o600);
  t.true(screen.includes(`The admin password you typed is in ${passwordFile} (mode 0600)`));
});

test('the profile question comes first when not given, and re-running offers the previous answers', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  await writeFile(
    join(dir, 'lab.yaml'),
    'name: previous-lab\nprofile: novalxd-final\nsizing:\n  computeUnits: 2\n',
  );
  // profile (default: previous), then accept everything
  const { code, screen, asked } = await drive(dir, {}, []);
  t.is(asked[0], 'Which lab?');
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
  const s = promptSession(dir, [[/^Deploy with/, [{ keys: CTRL_C }]]]);
  const done = runInit({ profile: 'tutorial-2016' }, s.ctx);
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

test('the wizard checks each network answer against the earlier ones and asks again', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  const { code, screen, errors, asked } = await drive(dir, { profile: 'modern' }, [
    [/^Change the network layout/, [{ confirm: true }]],
    [/^External CIDR/, ['192.168.50.0/24']],
    [/^External gateway/, ['10.99.0.1', '192.168.50.1']],
    [/^First floating IP/, ['192.168.50.100']],
    [/^Last floating IP/, ['192.168.50.20', '192.168.50.200']],
    [/^Tenant CIDR/, ['192.168.50.128/25', '10.101.0.0/24']],
    [/^DNS servers/, ['192.168.50.1']],
  ]);
  t.is(code, 0, screen);
  t.deepEqual(errors, [
    '10.99.0.1 is outside network.externalCidr 192.168.50.0/24',
    '192.168.50.20 comes before network.floatingStart 192.168.50.100',
    '192.168.50.128/25 overlaps network.externalCidr 192.168.50.0/24; pick a separate range',
  ]);
  t.is(asked.filter((m) => m === 'External gateway').length, 2, 'the gateway is asked again, at once');
  const spec = await readLab(join(dir, 'lab.yaml'));
  t.deepEqual(spec.network, {
    externalCidr: '192.168.50.0/24',
    gateway: '192.168.50.1',
    floatingStart: '192.168.50.100',
    floatingEnd: '192.168.50.200',
    tenantCidr: '10.101.0.0/24',
    dnsServers: ['192.168.50.1'],
    externalPort: 'eth1',
    externalBridge: 'lxdstack-ext',
  });
});

test('cinder without ceph is refused at the components question, not after the last one', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  // ceph and cinder are offered on a cloud's machines (on this host ceph needs OSD devices)
  const { code, errors } = await drive(dir, { profile: 'modern' }, [
    [/^Where does the lab run/, [{ choose: 'maas' }]],
    [/^Juju cloud name/, ['maas-lab']],
    [/^Components/, [{ checked: ['dashboard', 'cinder'] }, { checked: ['dashboard'] }]],
  ]);
  t.is(code, 0);
  t.deepEqual(errors, [
    'components.cinder: cinder stores volumes in ceph here; turn components.ceph on or cinder off',
  ]);
  t.false((await readLab(join(dir, 'lab.yaml'))).components.ceph);
});

test('answers that still fail as a whole are kept, and the next init offers them as defaults', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wizard-'));
  // a flag the wizard does not ask about is wrong: only the whole set can say so
  const first = promptSession(dir, [
    [/^Compute units/, ['5']],
    [/^Admin password/, ['a-secret-password']],
  ]);
  const error = await t.throwsAsync<InputError>(runInit({ profile: 'modern', name: 'Bad_Name' }, first.ctx));
  t.true(error instanceof InputError);
  t.regex(error!.details.join('\n'), /^name: use lowercase letters/m);
  const kept = join(dir, '.lxdstack', 'init-answers.yaml');
  t.true(error!.details.some((line) => line.includes(`Your answers are kept in ${kept}`)));
  await t.throwsAsync(access(join(dir, 'lab.yaml')), { code: 'ENOENT' });
  t.false((await readFile(kept, 'utf8')).includes('a-secret-password'), 'the password is never kept');

  const second = await drive(dir, { profile: 'modern' }, [[/^Lab name/, ['good-name']]]);
  t.is(second.code, 0, second.screen);
  t.regex(second.screen, /Defaults: your answers kept from last time/);
  const spec = await readLab(join(dir, 'lab.yaml'));
  t.is(spec.name, 'good-name');
  t.is(spec.sizing.computeUnits, 5, 'the kept answer was the default');
  await t.throwsAsync(access(kept), { code: 'ENOENT' });
});
