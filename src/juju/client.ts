import { describeCommand, type RunResult } from '../util/run.js';
import { localRunner, type CommandRunner } from '../util/runner.js';
import {
  CONFIG_FILE_NAME,
  configInFile,
  flavourOf,
  jujuArgv,
  unsupportedJujuReason,
  type ConfigValues,
  type JujuFlavour,
  type JujuOp,
  type JujuOps,
} from './argv.js';
import { JujuError, NoControllersError, errorLineOf, jujuErrorFor } from './errors.js';
import { parseShowUnit } from './show-unit.js';
import { parseStatus, type JujuStatus } from './status.js';

// One method per juju command the toolkit runs. Every call: argv array, its own process group, an
// explicit timeout (the group is killed on expiry or abort), and a JujuError with a next step on failure.

export interface JujuTimeouts {
  /** version, controllers, models, switch, config, export/diff-bundle. */
  quick: number;
  status: number;
  deploy: number;
  bootstrap: number;
  /** destroy-model, destroy-/kill-controller. */
  destroy: number;
  /** run an action, exec, add-/remove-unit. */
  action: number;
  debugLog: number;
}

export const DEFAULT_JUJU_TIMEOUTS: JujuTimeouts = {
  quick: 30_000,
  status: 60_000,
  deploy: 15 * 60_000,
  bootstrap: 30 * 60_000,
  destroy: 30 * 60_000,
  action: 15 * 60_000,
  debugLog: 30_000,
};

export interface JujuClientOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The juju executable; default: $LXDSTACK_JUJU, else `juju` on PATH. */
  executable?: string;
  timeouts?: Partial<JujuTimeouts>;
  /** The flavour when already known (e.g. from the lab's ledger): skips running `juju version`. */
  flavour?: JujuFlavour;
  /** Where juju runs: this host by default, or inside the nested layout's outer container. */
  runner?: CommandRunner;
}

export interface JujuVersion {
  text: string;
  flavour: JujuFlavour;
}

export interface ControllerSummary {
  name: string;
  cloud?: string;
  currentModel?: string;
  agentVersion?: string;
}

export interface ModelSummary {
  name: string;
  shortName: string;
  uuid?: string;
  controller?: string;
  status?: string;
}

export interface DeployResult {
  /** The change lines juju printed (`add unit glance/0 to new machine 3`, ...). */
  changes: string[];
  stdout: string;
  stderr: string;
}

export interface JujuClient {
  readonly executable: string;
  version(): Promise<JujuVersion>;
  controllers(): Promise<{ controllers: ControllerSummary[]; current?: string }>;
  models(controller?: string): Promise<{ models: ModelSummary[]; current?: string }>;
  bootstrap(params: JujuOps['bootstrap'] & ConfigValues): Promise<void>;
  addModel(params: JujuOps['addModel'] & ConfigValues): Promise<void>;
  switch(target: string): Promise<void>;
  deploy(params: JujuOps['deploy']): Promise<DeployResult>;
  exportBundle(model: string): Promise<string>;
  /** `juju show-unit` as JSON: the unit's relations and the data each side publishes. */
  showUnit(model: string, unit: string): Promise<unknown>;
  /** The YAML difference; `{}` when the model matches the bundle. */
  diffBundle(params: JujuOps['diffBundle']): Promise<string>;
  status(model: string): Promise<JujuStatus>;
  /** The application's config document (`juju config APP --format json`). */
  config(params: { model: string; application: string }): Promise<unknown>;
  /** Set config values through a private temporary file: values (passwords included) never reach argv. */
  setConfig(params: { model: string; application: string; values: Record<string, string> }): Promise<void>;
  runAction(params: JujuOps['runAction']): Promise<unknown>;
  /** Run an action whose parameters are secret: they go in a private params file (`--params`), never argv. */
  runActionWithParamsFile(
    params: Omit<JujuOps['runAction'], 'params' | 'paramsFile'>,
    secretParams: Record<string, string>,
  ): Promise<unknown>;
  exec(params: JujuOps['exec']): Promise<unknown>;
  addUnit(params: JujuOps['addUnit']): Promise<void>;
  removeUnit(params: JujuOps['removeUnit']): Promise<void>;
  destroyModel(params: JujuOps['destroyModel']): Promise<void>;
  destroyController(params: JujuOps['destroyController']): Promise<void>;
  killController(params: JujuOps['killController']): Promise<void>;
  /** The last lines of the model's log, optionally only for some entities (`keystone/0`). */
  debugLog(params: JujuOps['debugLog']): Promise<string[]>;
  /** The exact command line an operation would run (for dry-run and `lxdstack plan`). */
  describe<Op extends JujuOp>(op: Op, params: JujuOps[Op]): Promise<string>;
}

const TIMEOUT_OF: Record<JujuOp, keyof JujuTimeouts> = {
  version: 'quick',
  controllers: 'quick',
  models: 'quick',
  bootstrap: 'bootstrap',
  addModel: 'quick',
  switch: 'quick',
  deploy: 'deploy',
  exportBundle: 'quick',
  showUnit: 'quick',
  diffBundle: 'quick',
  status: 'status',
  config: 'quick',
  runAction: 'action',
  exec: 'action',
  addUnit: 'action',
  removeUnit: 'action',
  destroyModel: 'destroy',
  destroyController: 'destroy',
  killController: 'destroy',
  debugLog: 'debugLog',
};

const TIMEOUT_HINTS: Partial<Record<JujuOp, string>> = {
  status: 'The controller may be overloaded or unreachable; check `lxc list` shows it running.',
  deploy: 'Check `juju status` for what is still pending, then run the deploy again (it is idempotent).',
  bootstrap:
    'Check the LXD bridge gives containers addresses (`lxc network show lxdbr0`) and that images download.',
  destroyModel: 'Run it again with --force, or check `juju status` for machines that will not go away.',
};

function parseJson(result: RunResult, what: string): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new JujuError(
      result.command,
      result.exitCode,
      `${what} printed something that is not JSON`,
      'Check `juju version` is a supported 2.9 or 3.x release.',
    );
  }
}

export function createJujuClient(options: JujuClientOptions = {}): JujuClient {
  const env = options.env ?? process.env;
  const executable = options.executable ?? env.LXDSTACK_JUJU ?? 'juju';
  const timeouts = { ...DEFAULT_JUJU_TIMEOUTS, ...options.timeouts };
  const runner = options.runner ?? localRunner;
  let detected: Promise<JujuVersion> | undefined;

  async function runRaw(op: JujuOp, args: string[]): Promise<RunResult> {
    const result = await runner.run(executable, args, {
      timeoutMs: timeouts[TIMEOUT_OF[op]],
      timeoutHint: TIMEOUT_HINTS[op] ?? 'juju did not answer; check the controller is running and retry.',
      env: { ...env },
      signal: options.signal,
    });
    if (result.exitCode !== 0) {
      const { line, details } = errorLineOf(result.stderr);
      throw jujuErrorFor(result.command, result.exitCode, line, details);
    }
    return result;
  }

  /** The bundle and overlays where juju runs (copied into the outer container in the nested layout). */
  async function staged<P extends { bundlePath: string; overlays?: readonly string[] }>(
    params: P,
  ): Promise<P> {
    return {
      ...params,
      bundlePath: await runner.stage(params.bundlePath),
      overlays: await Promise.all((params.overlays ?? []).map((o) => runner.stage(o))),
    };
  }

  async function version(): Promise<JujuVersion> {
    detected ??= runRaw('version', jujuArgv('3', 'version', {})).then((result) => {
      const text = result.stdout.trim();
      const refused = unsupportedJujuReason(text);
      if (refused) throw new JujuError(result.command, 0, refused, 'Install Juju 3.6 and run again.');
      const flavour = flavourOf(text);
      if (!flavour) {
        throw new JujuError(
          result.command,
          0,
          `unsupported juju version "${text}"`,
          'Install juju 2.9 or 3.x (e.g. `snap install juju --channel 3.6/stable`).',
        );
      }
      return { text, flavour };
    });
    detected.catch(() => {
      detected = undefined;
    });
    return detected;
  }

  async function flavourNow(): Promise<JujuFlavour> {
    return options.flavour ?? (await version()).flavour;
  }

  async function run<Op extends JujuOp>(op: Op, params: JujuOps[Op]): Promise<RunResult> {
    const flavour = await flavourNow();
    return runRaw(op, jujuArgv(flavour, op, params));
  }

  /** Config values go to juju in a private file, not argv: proxy URLs may carry a password. */
  async function withConfigFile<P extends ConfigValues>(
    params: P,
    use: (params: Omit<P, 'config'> & { configFile?: string }) => Promise<unknown>,
  ): Promise<void> {
    const { config, ...rest } = params;
    if (!config || Object.keys(config).length === 0) {
      await use(rest);
      return;
    }
    const { stringify } = await import('../util/yaml-lib.js');
    await runner.withPrivateFile(CONFIG_FILE_NAME, stringify(config), (configFile) =>
      use(configInFile(params, configFile)),
    );
  }

  return {
    executable,
    version,
    async controllers() {
      let result: RunResult;
      try {
        result = await run('controllers', {});
      } catch (error) {
        // "No controllers registered" is an answer here, not a failure.
        if (error instanceof NoControllersError) return { controllers: [] };
        throw error;
      }
      const doc = parseJson(result, 'juju controllers') as {
        controllers?: Record<string, Record<string, unknown>>;
        'current-controller'?: string;
      };
      return {
        controllers: Object.entries(doc.controllers ?? {}).map(([name, c]) => ({
          name,
          cloud: c.cloud as string | undefined,
          currentModel: c['current-model'] as string | undefined,
          agentVersion: c['agent-version'] as string | undefined,
        })),
        current: doc['current-controller'],
      };
    },
    async models(controller) {
      const doc = parseJson(await run('models', { controller }), 'juju models') as {
        models?: Record<string, unknown>[];
        'current-model'?: string;
      };
      return {
        models: (doc.models ?? []).map((m) => ({
          name: String(m.name),
          shortName: String(m['short-name'] ?? String(m.name).split('/').pop()),
          uuid: m['model-uuid'] as string | undefined,
          controller: m['controller-name'] as string | undefined,
          status: (m.status as { current?: string } | undefined)?.current,
        })),
        current: doc['current-model'],
      };
    },
    async bootstrap(params) {
      await withConfigFile(params, (safe) => run('bootstrap', safe));
    },
    async addModel(params) {
      await withConfigFile(params, (safe) => run('addModel', safe));
    },
    async switch(target) {
      await run('switch', { target });
    },
    async deploy(params) {
      const result = await run('deploy', await staged(params));
      const changes = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('- '))
        .map((line) => line.slice(2));
      return { changes, stdout: result.stdout, stderr: result.stderr };
    },
    async showUnit(model, unit) {
      return parseShowUnit((await run('showUnit', { model, unit })).stdout);
    },
    async exportBundle(model) {
      return (await run('exportBundle', { model })).stdout;
    },
    async diffBundle(params) {
      return (await run('diffBundle', await staged(params))).stdout;
    },
    async status(model) {
      return parseStatus(parseJson(await run('status', { model }), 'juju status'));
    },
    async config(params) {
      return parseJson(await run('config', params), 'juju config');
    },
    async setConfig({ model, application, values }) {
      const { stringify } = await import('../util/yaml-lib.js');
      await runner.withPrivateFile('settings.yaml', stringify({ [application]: values }), (settingsFile) =>
        run('config', { model, application, settingsFile }),
      );
    },
    async runAction(params) {
      return parseJson(await run('runAction', params), `juju action ${params.action}`);
    },
    async runActionWithParamsFile(params, secretParams) {
      const { stringify } = await import('../util/yaml-lib.js');
      return runner.withPrivateFile('params.yaml', stringify(secretParams), async (paramsFile) =>
        parseJson(await run('runAction', { ...params, paramsFile }), `juju action ${params.action}`),
      );
    },
    async exec(params) {
      return parseJson(await run('exec', params), 'juju exec');
    },
    async addUnit(params) {
      await run('addUnit', params);
    },
    async removeUnit(params) {
      await run('removeUnit', params);
    },
    async destroyModel(params) {
      await run('destroyModel', params);
    },
    async destroyController(params) {
      await run('destroyController', params);
    },
    async killController(params) {
      await run('killController', params);
    },
    async debugLog(params) {
      const result = await run('debugLog', params);
      return result.stdout.split('\n').filter((line) => line.trim() !== '');
    },
    async describe(op, params) {
      return describeCommand(executable, jujuArgv(await flavourNow(), op, params));
    },
  };
}

/** The command line of an operation for a known flavour, without running anything (e.g. for `lxdstack plan`). */
export function describeJujuCommand<Op extends JujuOp>(
  flavour: JujuFlavour,
  op: Op,
  params: JujuOps[Op],
  executable = 'juju',
): string {
  return describeCommand(executable, jujuArgv(flavour, op, params));
}
