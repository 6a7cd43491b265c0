import test from 'ava';
import { execa } from 'execa';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { readSimState, updateSimState } from '../../src/sim/state.js';
import { simulatorEnv } from '../../src/sim/env.js';
import { SIM_BIN } from '../helpers/cli.js';
import {
  cliInProcess as cli,
  ledger,
  newSimLab,
  setFaults,
  simFootprint,
  spawnCli,
  type SimLab,
} from './sim-lab.js';

// Fault-matrix rows of issue 15 on the simulator: resume after a bundle deploy killed half-way (the
// killed deploy is the built CLI, a process to kill: `npm run build` first), resume after the lab's LXD
// bridge was deleted, and teardown once the controller is gone (the CLI's command line in this process).

const CLEAN = { controllers: [], profiles: ['default'], containers: [] };

async function units(lab: SimLab): Promise<Record<string, number>> {
  const model = (await readSimState(lab.simDir)).controllers.lxdstack?.models.openstack;
  return Object.fromEntries(
    Object.values(model?.applications ?? {}).map((a) => [a.name, Object.keys(a.units).length]),
  );
}

async function relations(lab: SimLab): Promise<number> {
  return (await readSimState(lab.simDir)).controllers.lxdstack?.models.openstack?.relations.length ?? 0;
}

/** Poll until `check` holds (a state the CLI reaches while it runs). */
async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the CLI');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Run the simulator's juju on the lab's state, as a person would by hand. */
function juju(lab: SimLab, args: string[]) {
  return execa(join(SIM_BIN, 'juju'), args, {
    env: simulatorEnv(lab.simDir, { ...process.env, ...lab.env, LXDSTACK_SIM_JUJU_VERSION: '2.9.46' }),
    reject: false,
  });
}

test.serial(
  'resume after a bundle deploy killed between adding applications and their units and relations',
  async (t) => {
    const lab = await newSimLab();
    // The first deploy is stopped in the bundle step, with the model in place and the bundle rendered.
    await setFaults(lab, { hang: [{ command: 'deploy' }] });
    const run = spawnCli(lab, ['deploy', '--simulate']);
    await until(async () => (await ledger(lab)).steps.deploy?.state === 'running');
    run.kill('SIGINT');
    t.is((await run).exitCode, 130);
    await rm(join(lab.simDir, 'faults.json'));
    // What a killed `juju deploy` leaves: the applications, no relation yet, and nova-compute without its unit.
    const bundle = parseAllDocuments(await readFile(join(lab.labDir, 'bundle.yaml'), 'utf8'))[0]!.toJS() as {
      relations?: unknown;
    };
    const { relations: _notYet, ...withoutRelations } = bundle;
    await writeFile(join(lab.cwd, 'killed.yaml'), stringify(withoutRelations));
    const partial = await juju(lab, ['deploy', '-m', 'lxdstack:openstack', join(lab.cwd, 'killed.yaml')]);
    t.is(partial.exitCode, 0, String(partial.stderr));
    const removed = await juju(lab, ['remove-unit', '-m', 'lxdstack:openstack', 'nova-compute/0']);
    t.is(removed.exitCode, 0, String(removed.stderr));
    t.is(await relations(lab), 0);
    t.is((await units(lab))['nova-compute'], 0);

    const resumed = await cli(lab, ['deploy']);
    if (resumed.exitCode !== 0) t.log((await cli(lab, ['status'])).stdout);
    t.is(resumed.exitCode, 0, resumed.stderr);
    t.notRegex(resumed.stdout, /Deploy the bundle \[SKIPPED/);
    const after = await units(lab);
    t.is(Object.keys(after).length, 15);
    t.is(after['nova-compute'], 1);
    t.true((await relations(lab)) > 0);
    const down = await cli(lab, ['teardown', '--yes']);
    t.is(down.exitCode, 0, down.stderr);
    t.deepEqual(await simFootprint(lab), CLEAN);
  },
);

test.serial(
  'teardown finishes once the controller is gone: models count as gone, LXD is cleaned',
  async (t) => {
    const lab = await newSimLab();
    const up = await cli(lab, ['deploy', '--simulate']);
    t.is(up.exitCode, 0, up.stderr);
    // The controller disappears behind lxdstack's back (killed by hand, its machine deleted).
    const killed = await juju(lab, ['kill-controller', 'lxdstack', '-y']);
    t.is(killed.exitCode, 0, String(killed.stderr));
    const down = await cli(lab, ['teardown', '--yes']);
    t.is(down.exitCode, 0, down.stderr);
    t.regex(down.stdout, /controller lxdstack is gone, and model openstack with it/);
    t.deepEqual(await simFootprint(lab), CLEAN);
    t.deepEqual(
      (await ledger(lab)).resources.filter((r) => r.state !== 'removed').map((r) => r.kind),
      [],
    );
  },
);

test.serial(
  'resume after the lab\'s LXD bridge was deleted: prepare-lxd runs again, naming it, instead of "done earlier"',
  async (t) => {
    const lab = await newSimLab();
    const up = await cli(lab, ['deploy', '--simulate']);
    t.is(up.exitCode, 0, up.stderr);
    t.true((await readSimState(lab.simDir)).lxd.networks?.includes('lxdbr0'));
    // Someone deletes the bridge from (the simulator's) LXD after the deploy: `lxc network delete lxdbr0`.
    await updateSimState(lab.simDir, (state) => {
      state.lxd.networks = state.lxd.networks?.filter((n) => n !== 'lxdbr0');
    });

    const resumed = await cli(lab, ['deploy']);
    t.is(resumed.exitCode, 0, resumed.stderr);
    t.notRegex(resumed.stdout, /Prepare LXD \[SKIPPED/);
    t.regex(resumed.stdout, /gone since it was done: network lxdbr0; doing it again/);
    t.regex(resumed.stdout, /Controller lxdstack \[SKIPPED/);
    t.true((await readSimState(lab.simDir)).lxd.networks?.includes('lxdbr0'), 'the bridge is back');

    // In place again: the next deploy skips it as done.
    const again = await cli(lab, ['deploy']);
    t.is(again.exitCode, 0, again.stderr);
    t.regex(again.stdout, /Prepare LXD \[SKIPPED: done earlier/);
    const down = await cli(lab, ['teardown', '--yes']);
    t.is(down.exitCode, 0, down.stderr);
    t.deepEqual(await simFootprint(lab), CLEAN);
  },
);
