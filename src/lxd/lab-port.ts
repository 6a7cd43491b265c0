import type { LabSpec } from '../lab/schema.js';
import type { Ledger } from '../state/ledger.js';
import { errorMessage } from '../util/errors.js';
import { parseYaml } from '../util/yaml.js';
import type { LxdClient } from './client.js';
import type { ModelProfile } from './prepare.js';

// What a lab needs from LXD (doctor's checks, "prepare LXD", the model's profile, teardown, logs), as one
// interface with three implementations: this host's LXD (host-lab-port.ts), the 2016 tutorial's outer
// container (nested-lab-port.ts) and the simulator's LXD (src/sim/lxd.ts); wiring picks one. Also the
// small rules they share. Nothing here loads the heavier LXD modules.

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
  /**
   * What `prepare` made or found that is no longer there (a pool, bridge or profile deleted since, the
   * outer container stopped), one phrase each; none when the preparation is still in place. Read-only:
   * one lookup per object, so a resumed deploy checks the world, not only the ledger.
   */
  preparationMissing(): Promise<string[]>;
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

/** The LXD profile Juju gives every machine of a model. */
export const modelProfileName = (model: string) => `juju-${model}`;

export function parseModelProfile(yamlText: string): ModelProfile {
  const parsed = parseYaml(yamlText, 'lxd-profile.yaml') as Partial<ModelProfile> | null;
  return {
    ...(typeof parsed?.description === 'string' ? { description: parsed.description } : {}),
    config: parsed?.config ?? {},
    devices: parsed?.devices ?? {},
  };
}

/** A controller recorded as this lab's and not yet removed: in the nested layout it lives in the outer container. */
export const holdsController = (ledger: Ledger) => ledger.liveResources('controller').length > 0;

/** Doctor's checks for the lab. juju is optional on this host when the simulator plays it or when it runs in the outer container. */
export async function measureHost(
  spec: LabSpec,
  client: () => Promise<LxdClient>,
  juju: 'needed' | 'optional',
  env: NodeJS.ProcessEnv,
  labDirectory?: string,
): Promise<PreflightCheck[]> {
  let lxd: LxdClient;
  try {
    lxd = await client();
  } catch (error) {
    return [
      {
        id: 'lxd-socket',
        title: 'LXD socket',
        status: 'fail',
        measured: errorMessage(error),
        fix: 'install LXD (`lxdstack doctor` says how)',
      },
    ];
  }
  const { runDoctorChecks } = await import('./doctor.js');
  const results = await runDoctorChecks(
    { spec, juju, containerSmoke: false, env, ...(labDirectory ? { labDirectory } : {}) },
    { client: lxd },
  );
  return results.map(({ id, title, status, measured, fix }) => ({
    id,
    title,
    status,
    measured,
    ...(fix ? { fix } : {}),
  }));
}
