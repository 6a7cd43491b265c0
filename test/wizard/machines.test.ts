import test from 'ava';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit, type InitOptions } from '../../src/commands/init.js';
import { promptSession } from '../helpers/prompts.js';
import { defaultMachines } from '../../src/lab/defaults.js';
import { buildSpec } from '../../src/lab/validate.js';
import { parseYaml } from '../../src/util/yaml.js';

// The wizard asks for machines only when the target places units on machines.

async function drive(options: InitOptions, script: Parameters<typeof promptSession>[1]) {
  const cwd = await mkdtemp(join(tmpdir(), 'wizard-machines-'));
  const session = promptSession(cwd, script);
  const code = await runInit(options, session.ctx);
  const screen = session.screen();
  const path = join(cwd, 'lab.yaml');
  return {
    code,
    screen,
    asked: session.asked,
    spec: buildSpec(parseYaml(await readFile(path, 'utf8'), path), { source: path }),
  };
}

test('a maas target asks for the cloud and the machines; typed constraints land in lab.yaml', async (t) => {
  const script: Parameters<typeof promptSession>[1] = [
    [/^Where does the lab run/, [{ choose: 'maas' }]],
    [/^Juju cloud name/, ['maas-lab']],
    [/^Compute units/, ['2']],
    [/^Control machines/, ['3']],
    [/^Constraints of each compute machine/, ['cores=16 mem=64G tags=compute']],
  ];
  const { code, screen, spec } = await drive({ profile: 'modern' }, script);
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
  // the machines question's default is no
  const script: Parameters<typeof promptSession>[1] = [
    [/^Where does the lab run/, [{ choose: 'existing-controller' }]],
  ];
  const { code, screen, spec } = await drive({ profile: 'modern' }, script);
  t.is(code, 0, screen);
  t.is(spec.target.kind, 'existing-controller');
  t.is(spec.machines, undefined);
  t.regex(screen, /Place the lab on machines with Juju constraints/);
  t.notRegex(screen, /Control machines/);
});
