import { execa, type ResultPromise } from 'execa';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommandLine } from '../../src/cli.js';
import { readSimState, type SimState } from '../../src/sim/state.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { CLI } from '../helpers/cli.js';
import type { CommandRunner } from '../../src/util/runner.js';
import { simulatorRunner } from '../helpers/sim-runner.js';
import { captureContext } from './context.js';

// A tutorial-2016 lab in a fresh folder on the simulator, driven through the built CLI (run
// `npm run build` first: the simulator's launchers live in dist/sim-bin), or through the same command
// line in this process with the simulator in-process (cliInProcess: no build, no process per call).

export const ADMIN_PASSWORD = 'Sekrit-Admin-Pw-42';

export interface SimLab {
  cwd: string;
  labDir: string;
  simDir: string;
  env: Record<string, string>;
}

/** `lab`: the lab.yaml text and lab name to use instead of the default tutorial lab. */
export async function newSimLab(
  extraEnv: Record<string, string> = {},
  lab?: { yaml: string; name: string },
): Promise<SimLab> {
  const cwd = await mkdtemp(join(tmpdir(), 'lxdstack-sim-'));
  if (lab) await writeFile(join(cwd, 'lab.yaml'), lab.yaml);
  else
    await writeLabYaml(join(cwd, 'lab.yaml'), {
      ...defaultSpec('tutorial-2016'),
      adminPassword: ADMIN_PASSWORD,
    });
  const labDir = join(cwd, '.lxdstack', lab?.name ?? 'openstack-lab');
  return {
    cwd,
    labDir,
    simDir: join(labDir, 'sim'),
    env: {
      NO_COLOR: '1',
      CI: '1',
      LXDSTACK_SIM_SPEED: '0',
      LXDSTACK_LOG_DIR: join(cwd, 'logs'),
      // the lab's own home: a simulated strict juju's staging folder goes there, not in the real home
      HOME: join(cwd, 'home'),
      ...extraEnv,
    },
  };
}

export function spawnCli(
  lab: SimLab,
  args: readonly string[],
  env: Record<string, string> = {},
): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [CLI, ...args], {
    cwd: lab.cwd,
    env: { ...lab.env, ...env },
    reject: false,
    input: '',
    timeout: 120_000,
  }) as ResultPromise<{ reject: false }>;
}

export async function cli(lab: SimLab, args: readonly string[], env: Record<string, string> = {}) {
  const result = await spawnCli(lab, args, env);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** `cli` in this process: the same command line and error boundary, juju played in-process. */
export async function cliInProcess(
  lab: SimLab,
  args: readonly string[],
  env: Record<string, string> = {},
  /** What plays juju (default: the simulator); tests wrap it to change what juju is handed. */
  runner: CommandRunner = simulatorRunner,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { ctx, stdout, stderr } = captureContext(lab.cwd, { ...process.env, ...lab.env, ...env });
  const exitCode = await runCommandLine(args, { ...ctx, runner });
  // The captured streams deliver their last chunk on the next turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  return { exitCode, stdout: stdout(), stderr: stderr() };
}

export async function setFaults(lab: SimLab, faults: unknown): Promise<void> {
  await mkdir(lab.simDir, { recursive: true });
  await writeFile(join(lab.simDir, 'faults.json'), JSON.stringify(faults));
}

export async function ledger(lab: SimLab): Promise<{
  steps: Record<string, { state: string; error?: string }>;
  resources: { kind: string; name: string; state: string }[];
}> {
  return JSON.parse(await readFile(join(lab.labDir, 'state.json'), 'utf8'));
}

/** What the lab left in the simulator: controllers, models and the LXD objects. */
export async function simFootprint(
  lab: SimLab,
): Promise<{ controllers: string[]; profiles: string[]; containers: string[] }> {
  const state: SimState = await readSimState(lab.simDir);
  return {
    controllers: Object.keys(state.controllers),
    profiles: state.lxd.profiles,
    containers: state.lxd.containers,
  };
}
