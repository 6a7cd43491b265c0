import type { Ledger } from '../state/ledger.js';

// What the lifecycle needs from each area (Juju, LXD, OpenStack, smoke), as small interfaces. The
// deploy and teardown steps are written against these; wiring.ts adapts the real modules to them, and
// tests substitute recorded behaviour to drive every failure path.

/** One line of progress per application while waiting: units ready/wanted, current message. */
export interface ApplicationProgress {
  application: string;
  ready: number;
  wanted: number;
  message: string;
}

export interface WaitProgress {
  elapsedMs: number;
  applications: ApplicationProgress[];
}

export type ControllerHealth = 'healthy' | 'unreachable' | 'absent';

export interface JujuPort {
  /** The flavour of the juju in use, for argv differences and bundle validation. */
  flavour(): Promise<'2.9' | '3'>;
  controllerHealth(controller: string): Promise<ControllerHealth>;
  bootstrap(input: { cloud: string; controller: string; config: Record<string, string> }): Promise<void>;
  modelExists(controller: string, model: string): Promise<boolean>;
  /** `cloud`: for a controller that knows several clouds, the one the model goes on. */
  addModel(input: {
    controller: string;
    model: string;
    cloud?: string;
    config: Record<string, string>;
  }): Promise<void>;
  deployBundle(input: {
    controller: string;
    model: string;
    bundlePath: string;
    overlays: string[];
  }): Promise<void>;
  /** Applications the model has now; none when the model does not exist. */
  applications(controller: string, model: string): Promise<string[]>;
  /**
   * What `juju diff-bundle` says the model still lacks of the bundle (deploy's postcondition), one phrase
   * each; `['the model does not exist']` when it does not.
   */
  bundlePending(input: {
    controller: string;
    model: string;
    bundlePath: string;
    overlays: string[];
  }): Promise<string[]>;
  /** One status read: ready now? (wait's postcondition). `expectedUnits`: the bundle's units per application. */
  isReady(
    controller: string,
    model: string,
    expectedUnits: Readonly<Record<string, number>>,
  ): Promise<boolean>;
  waitForReady(input: {
    controller: string;
    model: string;
    timeoutMs: number;
    expectedUnits: Readonly<Record<string, number>>;
    onProgress: (progress: WaitProgress) => void;
  }): Promise<void>;
  /** Juju-level smoke checks from one status read (every application active, no unit in error, ...). */
  jujuChecks(
    controller: string,
    model: string,
    unitless: readonly string[],
  ): Promise<{ name: string; ok: boolean; detail: string }[]>;
  /** Public address of the first unit of an application (the dashboard's), if it has one. */
  unitAddress(controller: string, model: string, application: string): Promise<string | undefined>;
  /** Raw `juju status` JSON text (for logs). */
  statusJson(controller: string, model: string): Promise<string>;
  debugLog(controller: string, model: string, lines: number): Promise<string>;
  unitCount(controller: string, model: string, application: string): Promise<string[]>;
  addUnits(input: { controller: string; model: string; application: string; count: number }): Promise<void>;
  removeUnits(input: { controller: string; model: string; units: string[] }): Promise<void>;
  destroyModel(input: {
    controller: string;
    model: string;
    force: boolean;
    timeoutMs: number;
  }): Promise<void>;
  destroyController(input: { controller: string; force: boolean; timeoutMs: number }): Promise<void>;
  /** The exact commands, for --dry-run and `lxdstack plan`. */
  describe: {
    bootstrap(input: { cloud: string; controller: string; config: Record<string, string> }): string;
    addModel(input: {
      controller: string;
      model: string;
      cloud?: string;
      config: Record<string, string>;
    }): string;
    deployBundle(input: {
      controller: string;
      model: string;
      bundlePath: string;
      overlays: string[];
    }): string;
    status(controller: string, model: string): string;
    destroyModel(input: { controller: string; model: string; force: boolean }): string;
    destroyController(input: { controller: string }): string;
  };
}

/** The conjure-up path: a local spell folder plus a Conjurefile, headless. */
export interface ConjurePort {
  deploySpell(input: {
    spellDir: string;
    cloud: string;
    controller: string;
    model: string;
    onProgress: (line: string) => void;
  }): Promise<void>;
  describe(input: { spellDir: string; cloud: string; controller: string; model: string }): string;
}

export interface PreflightCheck {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail';
  measured: string;
  fix?: string;
}

export interface LxdPort {
  /** Doctor's checks; in simulation the host facts are information only. */
  preflight(): Promise<PreflightCheck[]>;
  /** Pool, bridge and the host preparation the spec needs; each creation recorded in the ledger. */
  prepare(ledger: Ledger): Promise<string[]>;
  /** Apply the lab's LXD profile to the model's `juju-<model>` profile (after add-model), read it back. */
  applyModelProfile(ledger: Ledger): Promise<string[]>;
  /** Remove what the ledger says this lab created on LXD (instances, profiles, networks, pools, host values). */
  removeLabResources(ledger: Ledger): Promise<string[]>;
  /** Last resort after a forced destroy-model: delete the model's instances and `juju-<model>` profile. */
  removeModelLeftovers(model: string): Promise<string[]>;
  /** Anything of this lab still present after teardown, one sentence each. */
  leftovers(ledger: Ledger, model: string): Promise<string[]>;
  /** LXD profiles and instances as LXD reports them (for `lxdstack logs`). */
  inventory(): Promise<string>;
  /**
   * The nested layout only: make the cloud inside the outer container reachable from this host (a route
   * to the inner bridge, the dashboard on a proxy device), each recorded in the ledger.
   */
  expose?(input: { ledger: Ledger; dashboardAddress?: string }): Promise<string[]>;
  /** Where this host reaches the dashboard, when the lab exposed it (`127.0.0.1:8080`). */
  exposedDashboard?(ledger: Ledger): string | undefined;
  describe: {
    prepare(): string[];
    /** Applying the model's profile (the model step). */
    profile(): string;
    expose?(): string[];
  };
}

export interface SmokeOutcome {
  passed: number;
  failed: number;
  skipped: number;
  /** Written report files. */
  reports: string[];
  /** The failing checks, one sentence each. */
  failures: string[];
  text: string;
}

export interface CloudPort {
  /** Why post-deploy configuration cannot run (no reachable OpenStack endpoint), or undefined. */
  configureUnavailable(): string | undefined;
  configure(ledger: Ledger): Promise<string[]>;
  removeResources(ledger: Ledger): Promise<string[]>;
  verify(input: { jujuChecks: { name: string; ok: boolean; detail: string }[] }): Promise<SmokeOutcome>;
}

export interface LabPorts {
  juju: JujuPort;
  conjure: ConjurePort;
  lxd: LxdPort;
  cloud: CloudPort;
}
