import test from 'ava';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runInit, type InitOptions } from '../../src/commands/init.js';
import type { CommandContext } from '../../src/util/context.js';
import { defaultMachines } from '../../src/lab/defaults.js';
import { buildSpec } from '../../src/lab/validate.js';
import { parseYaml } from '../../src/util/yaml.js';

// The wizard asks for machines only when the target places units on machines.

const ENTER = '\r';
const DOWN = '\x1b[B';

async function drive(options: InitOptions, keys: readonly string[]) {
  const cwd = await mkdtemp(join(tmpdir(), 'wizard-machines-'));
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let screen = '';
  stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  const ctx: CommandContext = {
    cwd,
    env: {},
    stdin,
    stdout,
    stderr: stdout,
    interactive: true,
    signal: new AbortController().signal,
  };
  const done = runInit(options, ctx);
  for (const key of keys) {
    const before = screen.length;
    for (let waited = 0; screen.length === before && waited < 1000; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 15));
    stdin.write(key);
  }
  const code = await done;
  const path = join(cwd, 'lab.yaml');
  return { code, screen, spec: buildSpec(parseYaml(await readFile(path, 'utf8'), path), { source: path }) };
}

test('a maas target asks for the cloud and the machines; typed constraints land in lab.yaml', async (t) => {
  const keys = [
    ENTER, // name
    DOWN,
    DOWN,
    DOWN,
    ENTER, // target: maas
    'maas-lab',
    ENTER, // cloud (no release question: noble has 2024.1 only)
    ENTER, // components (ceph on: a cloud's machines)
    '\b2',
    ENTER, // compute units
    ENTER, // osd units
    '\b3',
    ENTER, // control machines
    ENTER, // control constraints
    'cores=16 mem=64G tags=compute',
    ENTER, // compute constraints
    ENTER, // storage constraints
    ENTER,
    ENTER,
    ENTER,
    ENTER,
    ENTER,
    ENTER, // network? ssh key, password, proxy? lxd? write?
  ];
  const { code, screen, spec } = await drive({ profile: 'modern' }, keys);
  t.is(code, 0, screen);
  t.deepEqual(spec.target, { kind: 'maas', cloud: 'maas-lab', container: 'lxdstack-host' });
  t.is(spec.sizing.computeUnits, 2);
  t.deepEqual(spec.machines, {
    control: { count: 3, constraints: defaultMachines().control.constraints },
    compute: { constraints: 'cores=16 mem=64G tags=compute' },
    storage: defaultMachines().storage,
  });
  t.regex(screen, /Constraints of each compute machine/);
  t.regex(screen, /Juju constraints of each compute machine/, 'each question carries its why');
});

test('an existing controller asks whether to place the lab on machines; no means none', async (t) => {
  const keys = [
    ENTER, // name
    DOWN,
    DOWN,
    ENTER, // target: existing-controller
    ENTER, // controller name (no release question: noble has 2024.1 only)
    ENTER, // components (no ceph offered: no OSD devices named)
    ENTER, // compute units
    ENTER, // machines? (default no)
    ENTER,
    ENTER,
    ENTER,
    ENTER,
    ENTER,
    ENTER, // network? ssh key, password, proxy? lxd? write?
  ];
  const { code, screen, spec } = await drive({ profile: 'modern' }, keys);
  t.is(code, 0, screen);
  t.is(spec.target.kind, 'existing-controller');
  t.is(spec.machines, undefined);
  t.regex(screen, /Place the lab on machines with Juju constraints/);
  t.notRegex(screen, /Control machines/);
});
