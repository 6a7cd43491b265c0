import type { JujuCheck, WaitProgress } from '../juju/verdicts.js';
import type { LxdPort } from '../lxd/lab-port.js';
import type { Ledger } from '../state/ledger.js';
import type { StagingPort } from './staging-port.js';
import type { VaultPort } from './vault-adapter.js';

// What the lifecycle needs from each area (Juju, LXD, OpenStack, smoke), as small interfaces. The
// deploy and teardown steps are written against these; wiring.ts adapts the real modules to them, and
// tests substitute recorded behaviour to drive every failure path. The LXD one lives beside its three
// implementations (host, nested, simulated) in src/lxd/lab-port.ts, since the simulator implements it.

export type { WaitProgress } from '../juju/verdicts.js';

export type ControllerHealth = 'healthy' | 'unreachable' | 'absent';

export interface JujuPort {
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
  jujuChecks(controller: string, model: string, unitless: readonly string[]): Promise<JujuCheck[]>;
  /** Public address of the first unit of an application (the dashboard's), if it has one. */
  unitAddress(controller: string, model: string, application: string): Promise<string | undefined>;
  /** What the first unit of an application publishes on its relation at `endpoint`, if anything. */
  publishedData(
    controller: string,
    model: string,
    application: string,
    endpoint: string,
  ): Promise<Record<string, string> | undefined>;
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
  /** What configure made that the cloud no longer has, one phrase each (read-only; configure's postcondition). */
  configuredMissing(ledger: Ledger): Promise<string[]>;
  removeResources(ledger: Ledger): Promise<string[]>;
  verify(input: { jujuChecks: JujuCheck[] }): Promise<SmokeOutcome>;
}

export interface LabPorts {
  juju: JujuPort;
  conjure: ConjurePort;
  lxd: LxdPort;
  cloud: CloudPort;
  /** Vault's units, actions and HTTP API: present when the lab's bundle has vault. */
  vault?: VaultPort;
  /** Where juju reads the lab's files (staged under home for a strictly confined juju). */
  staging?: StagingPort;
}
