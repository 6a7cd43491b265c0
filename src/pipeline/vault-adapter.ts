import { actionOutcome } from '../juju/actions.js';
import { jujuArgv, type JujuFlavour } from '../juju/argv.js';
import type { JujuClient } from '../juju/client.js';
import { compareUnitNames } from '../juju/status.js';
import { JobError } from '../util/errors.js';
import { describeCommand } from '../util/run.js';
import type { VaultApi } from '../vault/api.js';

// The vault port: vault's units as juju status shows them, its charm actions through juju (the leader,
// `vault/leader`), and Vault's HTTP API at the units for the README's init and unseal.

export interface VaultUnit {
  name: string;
  leader: boolean;
  address?: string;
  workload: string;
  message: string;
}

export interface VaultPort {
  /** vault's units, by unit number; none before deploy. */
  units(): Promise<VaultUnit[]>;
  /** Vault's HTTP API at the units (a simulated lab: the simulator's, in-process). */
  api: VaultApi;
  /** Run a vault action on the leader and return its results; `secret` parameters go in a params file. */
  runAction(action: string, secret?: Record<string, string>): Promise<Record<string, unknown>>;
  /** The exact command of an action, for --dry-run and `lxdstack plan`. */
  describeAction(action: string, withParamsFile?: boolean): string;
}

export const VAULT_APPLICATION = 'vault';
const LEADER = `${VAULT_APPLICATION}/leader`;

export function vaultPort(input: {
  client: () => Promise<JujuClient>;
  /** `controller:model`. */
  model: string;
  flavour: JujuFlavour;
  api: VaultApi;
  commandPrefix?: string;
}): VaultPort {
  const { model } = input;
  return {
    async units() {
      const status = await (await input.client()).status(model);
      const names = (status.applications[VAULT_APPLICATION]?.units ?? []).slice().sort(compareUnitNames);
      return names.flatMap((name) => {
        const unit = status.units[name];
        if (!unit) return [];
        return [
          {
            name,
            leader: unit.leader,
            ...(unit.publicAddress ? { address: unit.publicAddress } : {}),
            workload: unit.workload.current ?? 'unknown',
            message: unit.workload.message ?? '',
          },
        ];
      });
    },
    api: input.api,
    async runAction(action, secret) {
      const client = await input.client();
      const params = { model, unit: LEADER, action };
      const doc = secret
        ? await client.runActionWithParamsFile(params, secret)
        : await client.runAction(params);
      const outcome = actionOutcome(doc);
      if (!outcome || outcome.status !== 'completed') {
        throw new JobError(
          `the vault action ${action} ${outcome ? `ended ${outcome.status}${outcome.message ? `: ${outcome.message}` : ''}` : 'printed no task'}`,
          {
            details: [
              `Inspect it with \`juju show-task\` or \`juju debug-log --include ${VAULT_APPLICATION}\`.`,
            ],
          },
        );
      }
      return outcome.results;
    },
    describeAction: (action, withParamsFile = false) =>
      `${input.commandPrefix ? `${input.commandPrefix} ` : ''}${describeCommand(
        'juju',
        jujuArgv(input.flavour, 'runAction', {
          model,
          unit: LEADER,
          action,
          ...(withParamsFile ? { paramsFile: '<private params file>' } : {}),
        }),
      )}`,
  };
}
