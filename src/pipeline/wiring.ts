import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pMemoize from 'p-memoize';
import { conjureArgv } from '../conjure/engine.js';
import { PROFILES } from '../lab/profiles/index.js';
import type { LxdClient } from '../lxd/client.js';
import { realLxdPort } from '../lxd/host-lab-port.js';
import { nestedLxdPort } from '../lxd/nested-lab-port.js';
import { simCloudsVariable } from '../sim/clouds.js';
import { simulatorEnv } from '../sim/env.js';
import { simulatedLxdPort } from '../sim/lxd.js';
import { simVaultFetch } from '../sim/vault-fetch.js';
import { describeCommand } from '../util/run.js';
import type { CommandContext } from '../util/context.js';
import type { CommandRunner } from '../util/runner.js';
import { createVaultApi } from '../vault/api.js';
import { cloudPort } from './cloud-adapter.js';
import { jujuPort, nestedJujuPort } from './juju-adapter.js';
import { simulatorStateDir, type LabSession } from './session.js';
import type { LabPorts } from './ports.js';
import { stagingPort } from './staging-port.js';
import { vaultPort } from './vault-adapter.js';

// The real modules behind the lifecycle's ports. A simulated lab gets the simulator's environment (its
// `juju` and `conjure-up` first, state in .lxdstack/<lab>/sim) and the simulator's LXD port, which never
// touches the host's LXD beyond measuring it; the pipeline itself never reads the simulator's state. A
// real nested-container lab runs its engine inside the outer container. Nothing here runs until a port
// method is called.

/** The Juju release the simulator plays for a profile: 2.9 for the cs: bundles, 3.6 otherwise. */
export function simulatedJujuVersion(flavour: '2.9' | '3'): string {
  return flavour === '2.9' ? '2.9.46' : '3.6.1';
}

/** The environment juju and conjure-up run with for this lab. */
export function labEnv(
  session: Pick<LabSession, 'simulated' | 'dir' | 'spec'>,
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  if (!session.simulated) return env;
  const flavour = PROFILES[session.spec.profile].juju;
  return {
    // A scale-out target's cloud, unless the user names the simulator's clouds themselves.
    ...simCloudsVariable(session.spec.target),
    ...simulatorEnv(simulatorStateDir(session.dir), env),
    LXDSTACK_SIM_JUJU_VERSION: env.LXDSTACK_SIM_JUJU_VERSION || simulatedJujuVersion(flavour),
  };
}

export interface WiringInput {
  session: Pick<LabSession, 'simulated' | 'dir' | 'spec' | 'adminPassword' | 'source'>;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  cwd: string;
  /** Counts `juju status` calls (bench). */
  onStatusCall?: () => void;
  /** Where juju and conjure-up run on this host (tests: the simulator in-process); default: processes. */
  runner?: CommandRunner;
}

/** The ports a command works through: its environment, Ctrl-C signal, folder and runner. */
export function commandLabPorts(session: WiringInput['session'], ctx: CommandContext): LabPorts {
  return createLabPorts({ session, env: ctx.env, signal: ctx.signal, cwd: ctx.cwd, runner: ctx.runner });
}

export function createLabPorts(input: WiringInput): LabPorts {
  const { session } = input;
  const { spec } = session;
  const env = labEnv(session, input.env);
  const lxdClient = pMemoize(async (): Promise<LxdClient> =>
    (await import('../lxd/client.js')).createLxdClient({
      env: input.env,
      ...(input.signal ? { signal: input.signal } : {}),
    }),
  );
  const flavour = PROFILES[spec.profile].juju;
  // The 2016 tutorial's layout: juju and conjure-up run inside the outer container, with its environment.
  const nested = spec.target.kind === 'nested-container' && !session.simulated;
  const container = spec.target.container;
  const hostRunner = input.runner;
  // juju on this host that is a strict snap reads the lab's files from a staging folder in home
  const staging = nested
    ? undefined
    : stagingPort({
        env,
        lab: spec.name,
        labDirectory: session.dir,
        // the simulator plays Juju 3.x as the strict snap unless told otherwise (LXDSTACK_SIM_CONFINEMENT)
        simulatedStrict:
          session.simulated &&
          (env.LXDSTACK_SIM_CONFINEMENT ? env.LXDSTACK_SIM_CONFINEMENT === 'strict' : flavour === '3'),
        ...(hostRunner ? { runner: hostRunner } : {}),
      });
  const runner = nested
    ? async () =>
        (await import('../lxd/exec-runner.js')).lxdExecRunner(await lxdClient(), container, {
          ...(input.signal ? { signal: input.signal } : {}),
        })
    : staging!.runner;
  const engineEnv = nested ? {} : env;
  const baseJuju = jujuPort({
    env: engineEnv,
    flavour,
    settleMs: session.simulated ? 0 : 15_000,
    // a real model may sit still for a minute between hooks; the simulator's wait is bounded by its settings
    stallFloorMs: session.simulated ? 0 : 60_000,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onStatusCall ? { onStatusCall: input.onStatusCall } : {}),
    runner,
    ...(nested ? { commandPrefix: `lxc exec ${container} --` } : {}),
  });
  const juju = nested
    ? nestedJujuPort(
        baseJuju,
        async () => (await (await lxdClient()).getInstance(container))?.status === 'Running',
      )
    : baseJuju;
  const profileYaml = () => readFile(join(session.dir, 'lxd-profile.yaml'), 'utf8');
  const hasVault = PROFILES[spec.profile].hasVault;
  const vault = hasVault
    ? vaultPort({
        model: `${spec.controller}:${spec.model}`,
        flavour,
        client: async () =>
          (await import('../juju/client.js')).createJujuClient({
            env: engineEnv,
            flavour,
            ...(input.signal ? { signal: input.signal } : {}),
            runner: await runner(),
          }),
        // A simulated vault's HTTP API is answered in-process by the simulator, not over the network.
        api: createVaultApi({
          ...(input.signal ? { signal: input.signal } : {}),
          ...(session.simulated ? { fetch: simVaultFetch(simulatorStateDir(session.dir), env) } : {}),
        }),
        ...(nested ? { commandPrefix: `lxc exec ${container} --` } : {}),
      })
    : undefined;
  return {
    juju,
    conjure: {
      deploySpell: async (run) => {
        const { createConjureEngine } = await import('../conjure/engine.js');
        const engine = createConjureEngine({
          env: engineEnv,
          ...(input.signal ? { signal: input.signal } : {}),
          // conjure-up drives Juju 2.9 (a classic snap): only the nested layout runs it elsewhere
          ...(nested ? { runner: await runner() } : {}),
        });
        await engine.deploySpell({ ...run, onProgress: (line) => run.onProgress(line) });
      },
      describe: (run) =>
        `${nested ? `lxc exec ${container} -- ` : ''}${describeCommand('conjure-up', conjureArgv(run))}`,
    },
    lxd: session.simulated
      ? simulatedLxdPort({
          spec,
          simDir: simulatorStateDir(session.dir),
          client: lxdClient,
          env,
          labDirectory: session.dir,
        })
      : nested
        ? nestedLxdPort({ spec, client: lxdClient, env: input.env, profileYaml, labDirectory: session.dir })
        : realLxdPort({ spec, client: lxdClient, env: input.env, profileYaml, labDirectory: session.dir }),
    cloud: cloudPort({
      spec,
      labDirectory: session.dir,
      answersFile: session.source,
      env: input.env,
      simulated: session.simulated,
      adminPassword: session.adminPassword,
      keystoneUrl: async () => {
        const address = await juju.unitAddress(spec.controller, spec.model, 'keystone');
        if (!address) return undefined;
        // keystone says which protocol it serves (https once vault issued its certificate, charm-behaviour.md
        // §2); before it publishes anything it serves the charm's default, http
        const published = await juju.publishedData(
          spec.controller,
          spec.model,
          'keystone',
          'identity-service',
        );
        return `${published?.service_protocol ?? 'http'}://${address}:5000/v3`;
      },
      ...(input.signal ? { signal: input.signal } : {}),
    }),
    ...(vault ? { vault } : {}),
    ...(staging ? { staging } : {}),
  };
}
