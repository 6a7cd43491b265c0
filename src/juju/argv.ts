// The argv of every juju command the toolkit runs, for each CLI flavour. The 2.9/3.x differences are
// data (juju-spec.md §4): the prompt-skipping flag, action/exec command names, base vs series, and
// bootstrap's default model. Pure, so dry-run and `lxdstack plan` can show the exact command.

import { UBUNTU_VERSIONS } from './series.js';

export type JujuFlavour = '2.9' | '3';

interface FlavourFacts {
  /** Skips the confirmation of destroy-model / destroy-controller / kill-controller. */
  noPrompt: string[];
  /** remove-unit's confirmation flag (2.9's remove-unit never prompts). */
  removeUnitNoPrompt: string[];
  /** Running a charm action and waiting for it. */
  runAction: string;
  /** Running a shell command on units. */
  exec: string;
  /** Flag that picks the controller's OS: base (`ubuntu@22.04`) in 3.x, series (`jammy`) in 2.9. */
  bootstrapOs: (series: string) => string[];
  /** 2.9 bootstraps a model named "default" unless told not to; the toolkit adds its own model. */
  bootstrapNoModel: string[];
  /** Waiting for an action to finish (2.9's --wait takes an optional value, so it must be joined with `=`). */
  actionWait: (seconds: number) => string[];
  execTimeout: (seconds: number) => string[];
}

export const FLAVOURS: Record<JujuFlavour, FlavourFacts> = {
  '2.9': {
    noPrompt: ['-y'],
    removeUnitNoPrompt: [],
    runAction: 'run-action',
    exec: 'run',
    bootstrapOs: (series) => ['--bootstrap-series', series],
    bootstrapNoModel: ['--no-default-model'],
    actionWait: (seconds) => [`--wait=${seconds}s`],
    execTimeout: (seconds) => ['--timeout', `${seconds}s`],
  },
  '3': {
    noPrompt: ['--no-prompt'],
    removeUnitNoPrompt: ['--no-prompt'],
    runAction: 'run',
    exec: 'exec',
    bootstrapOs: (series) => ['--bootstrap-base', `ubuntu@${UBUNTU_VERSIONS[series] ?? series}`],
    bootstrapNoModel: [],
    actionWait: (seconds) => ['--wait', `${seconds}s`],
    execTimeout: (seconds) => ['--wait', `${seconds}s`],
  },
};

/** How to install the supported Juju 3 line. */
export const JUJU_36_INSTALL = 'sudo snap install juju --channel 3.6/stable';

/**
 * Why a juju release cannot deploy these labs, or undefined when it can. Juju 4 removed leader-set,
 * which the OpenStack charms call; 3.6 is the supported line.
 */
export function unsupportedJujuReason(versionText: string): string | undefined {
  const major = Number(/^(\d+)\./.exec(versionText.trim())?.[1]);
  if (!(major >= 4)) return undefined;
  return `juju ${versionText.trim()} is not supported: Juju 4 removed leader-set, which the OpenStack charms call; 3.6 is the supported line (\`${JUJU_36_INSTALL}\`)`;
}

/** Juju version text (`3.6.1-genericlinux-amd64`, `2.9.46-ubuntu-amd64`) → flavour; undefined if unreadable. */
export function flavourOf(versionText: string): JujuFlavour | undefined {
  const match = /^(\d+)\.(\d+)/.exec(versionText.trim());
  if (!match) return undefined;
  const major = Number(match[1]);
  if (major === 2) return '2.9';
  if (major === 3) return '3';
  return undefined;
}

export interface JujuOps {
  version: Record<string, never>;
  controllers: Record<string, never>;
  models: { controller?: string };
  bootstrap: {
    cloud: string;
    controller: string;
    /** A private YAML file of config values (proxies may carry credentials: there is no way to put them in argv). */
    configFile?: string;
    modelDefaults?: Record<string, string>;
    series?: string;
    constraints?: string;
  };
  addModel: {
    controller?: string;
    model: string;
    cloud?: string;
    configFile?: string;
  };
  switch: { target: string };
  deploy: {
    model: string;
    bundlePath: string;
    overlays?: readonly string[];
    dryRun?: boolean;
    trust?: boolean;
  };
  exportBundle: { model: string; filename?: string };
  showUnit: { model: string; unit: string };
  diffBundle: { model: string; bundlePath: string; overlays?: readonly string[] };
  status: { model: string };
  /** Read the application's config; or set values from `settingsFile` (YAML `{app: {key: value}}`), so values never appear in argv. */
  config: { model: string; application: string; settingsFile?: string };
  runAction: {
    model: string;
    unit: string;
    action: string;
    params?: Record<string, string>;
    /** A YAML file of parameters (`--params`): how secret parameters (a vault token) stay out of argv. */
    paramsFile?: string;
    waitSeconds?: number;
  };
  exec: { model: string; units: readonly string[]; command: readonly string[]; waitSeconds?: number };
  addUnit: { model: string; application: string; count?: number; to?: string };
  removeUnit: { model: string; units: readonly string[] };
  destroyModel: {
    model: string;
    force?: boolean;
    noWait?: boolean;
    timeoutSeconds?: number;
    destroyStorage?: boolean;
  };
  destroyController: { controller: string; destroyAllModels?: boolean; force?: boolean };
  killController: { controller: string; timeoutSeconds?: number };
  debugLog: { model: string; include?: readonly string[]; lines?: number };
}

export type JujuOp = keyof JujuOps;

/** Config values, given to bootstrap and add-model: they reach juju only in a private file. */
export interface ConfigValues {
  config?: Record<string, string>;
}

/** The private file config values reach juju in (proxy URLs may carry credentials: never in argv). */
export const CONFIG_FILE_NAME = 'config.yaml';
/** How a described command names that file: the runner writes it afresh (0600) in a private folder each run. */
export const DESCRIBED_CONFIG_FILE = `<private folder>/${CONFIG_FILE_NAME}`;

/** Bootstrap's or add-model's params with their config values handed over as the file at `configFile`. */
export function configInFile<P extends ConfigValues>(
  params: P,
  configFile: string,
): Omit<P, 'config'> & { configFile?: string } {
  const { config, ...rest } = params;
  return config && Object.keys(config).length > 0 ? { ...rest, configFile } : rest;
}

function pairs(flag: string, values: Record<string, string> | undefined): string[] {
  return Object.entries(values ?? {}).flatMap(([k, v]) => [flag, `${k}=${v}`]);
}

/** The argv (after the executable) of one juju operation in one flavour. */
export function jujuArgv<Op extends JujuOp>(flavour: JujuFlavour, op: Op, params: JujuOps[Op]): string[] {
  const facts = FLAVOURS[flavour];
  const p = params as JujuOps[JujuOp] & Record<string, unknown>;
  switch (op) {
    case 'version':
      return ['version'];
    case 'controllers':
      return ['controllers', '--format', 'json'];
    case 'models': {
      const { controller } = p as JujuOps['models'];
      return ['models', '--format', 'json', ...(controller ? ['-c', controller] : [])];
    }
    case 'bootstrap': {
      const b = p as JujuOps['bootstrap'];
      return [
        'bootstrap',
        b.cloud,
        b.controller,
        ...facts.bootstrapNoModel,
        ...(b.series ? facts.bootstrapOs(b.series) : []),
        ...(b.constraints ? ['--constraints', b.constraints] : []),
        ...(b.configFile ? ['--config', b.configFile] : []),
        ...pairs('--model-default', b.modelDefaults),
      ];
    }
    case 'addModel': {
      const a = p as JujuOps['addModel'];
      return [
        'add-model',
        a.model,
        ...(a.cloud ? [a.cloud] : []),
        ...(a.controller ? ['--controller', a.controller] : []),
        ...(a.configFile ? ['--config', a.configFile] : []),
      ];
    }
    case 'switch':
      return ['switch', (p as JujuOps['switch']).target];
    case 'deploy': {
      const d = p as JujuOps['deploy'];
      return [
        'deploy',
        '-m',
        d.model,
        d.bundlePath,
        ...(d.overlays ?? []).flatMap((o) => ['--overlay', o]),
        ...(d.trust ? ['--trust'] : []),
        ...(d.dryRun ? ['--dry-run'] : []),
      ];
    }
    case 'showUnit': {
      const s = p as JujuOps['showUnit'];
      return ['show-unit', '-m', s.model, s.unit, '--format', 'json'];
    }
    case 'exportBundle': {
      const e = p as JujuOps['exportBundle'];
      return ['export-bundle', '-m', e.model, ...(e.filename ? ['--filename', e.filename] : [])];
    }
    case 'diffBundle': {
      const d = p as JujuOps['diffBundle'];
      return [
        'diff-bundle',
        '-m',
        d.model,
        d.bundlePath,
        ...(d.overlays ?? []).flatMap((o) => ['--overlay', o]),
      ];
    }
    case 'status':
      return ['status', '-m', (p as JujuOps['status']).model, '--format', 'json'];
    case 'config': {
      const c = p as JujuOps['config'];
      return [
        'config',
        '-m',
        c.model,
        c.application,
        ...(c.settingsFile ? ['--file', c.settingsFile] : ['--format', 'json']),
      ];
    }
    case 'runAction': {
      const r = p as JujuOps['runAction'];
      return [
        facts.runAction,
        '-m',
        r.model,
        r.unit,
        r.action,
        ...Object.entries(r.params ?? {}).map(([k, v]) => `${k}=${v}`),
        ...(r.paramsFile ? ['--params', r.paramsFile] : []),
        ...facts.actionWait(r.waitSeconds ?? 300),
        '--format',
        'json',
      ];
    }
    case 'exec': {
      const e = p as JujuOps['exec'];
      return [
        facts.exec,
        '-m',
        e.model,
        '--format',
        'json',
        // --unit takes a comma-separated list; a repeated --unit keeps only the last one
        ...(e.units.length ? ['--unit', e.units.join(',')] : []),
        ...facts.execTimeout(e.waitSeconds ?? 300),
        '--',
        ...e.command,
      ];
    }
    case 'addUnit': {
      const a = p as JujuOps['addUnit'];
      return [
        'add-unit',
        '-m',
        a.model,
        a.application,
        '-n',
        String(a.count ?? 1),
        ...(a.to ? ['--to', a.to] : []),
      ];
    }
    case 'removeUnit': {
      const r = p as JujuOps['removeUnit'];
      return ['remove-unit', '-m', r.model, ...r.units, ...facts.removeUnitNoPrompt];
    }
    case 'destroyModel': {
      const d = p as JujuOps['destroyModel'];
      return [
        'destroy-model',
        d.model,
        ...facts.noPrompt,
        ...(d.destroyStorage ? ['--destroy-storage'] : []),
        ...(d.force ? ['--force'] : []),
        ...(d.force && d.noWait ? ['--no-wait'] : []),
        ...(d.force && d.timeoutSeconds !== undefined ? ['--timeout', `${d.timeoutSeconds}s`] : []),
      ];
    }
    case 'destroyController': {
      const d = p as JujuOps['destroyController'];
      return [
        'destroy-controller',
        d.controller,
        ...facts.noPrompt,
        ...(d.destroyAllModels ? ['--destroy-all-models'] : []),
        ...(d.force ? ['--force'] : []),
      ];
    }
    case 'killController': {
      const k = p as JujuOps['killController'];
      return [
        'kill-controller',
        k.controller,
        ...facts.noPrompt,
        ...(k.timeoutSeconds !== undefined ? ['--timeout', `${k.timeoutSeconds}s`] : []),
      ];
    }
    case 'debugLog': {
      const d = p as JujuOps['debugLog'];
      return [
        'debug-log',
        '-m',
        d.model,
        '--no-tail',
        '--lines',
        String(d.lines ?? 20),
        ...(d.include ?? []).flatMap((e) => ['--include', e]),
      ];
    }
    default:
      throw new Error(`unknown juju operation ${String(op)}`);
  }
}
