import { dirname, join, relative } from 'node:path';
import { PROFILES } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import { computeCaveats } from '../lab/compute.js';
import type { SmokeOutcome } from './ports.js';
import type { StepResult } from './task-list.js';
import { VAULT_KEYS_FILE } from './vault-steps.js';

// The closing words of deploy and teardown. Pure: text from facts.

export const SIMULATION_BANNER =
  'SIMULATION: this lab runs on the built-in Juju simulator; no controller, container or OpenStack service was created.';

export interface DeploySummaryInput {
  spec: LabSpec;
  simulated: boolean;
  cwd: string;
  credentialsPath: string;
  dashboardAddress?: string;
  results: StepResult[];
  smoke?: SmokeOutcome;
  /** The flags every next command needs (e.g. `--answers x.yaml`), already joined. */
  commandSuffix: string;
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}

export function deploySummary(input: DeploySummaryInput): string[] {
  const { spec } = input;
  const lines: string[] = [];
  if (input.simulated) lines.push(SIMULATION_BANNER);
  lines.push(
    `Lab ${spec.name} (${spec.profile}: OpenStack ${spec.openstackRelease} on ${spec.series}) is deployed in ${spec.controller}:${spec.model}.`,
  );
  for (const caveat of computeCaveats(spec)) lines.push(`CAVEAT: ${caveat}`);
  for (const { step, outcome } of input.results) {
    const detail = outcome.state === 'skipped' ? `skipped: ${outcome.reason}` : (outcome.note ?? 'done');
    lines.push(`  ${step.title.padEnd(48)} ${detail}`);
  }
  const dashboard = input.dashboardAddress
    ? `http://${input.dashboardAddress}/horizon${input.simulated ? '  (simulated address: nothing answers there)' : ''}`
    : 'not deployed in this profile';
  lines.push(`Dashboard:    ${dashboard}`);
  lines.push(
    `Credentials:  user admin, domain admin_domain; password in ${shown(input.cwd, input.credentialsPath)} (mode 0600)`,
  );
  if (PROFILES[spec.profile].hasVault) {
    lines.push(
      spec.vault.unlock === 'auto'
        ? 'Vault:        unseals itself and made its own root CA (vault.unlock: auto): a lab-only setting, never for production'
        : `Vault:        unsealed by deploy; keys and root token in ${shown(input.cwd, join(dirname(input.credentialsPath), VAULT_KEYS_FILE))} (mode 0600)`,
    );
  }
  if (input.smoke) {
    lines.push(
      `Smoke tests:  ${input.smoke.passed} passed, ${input.smoke.failed} failed, ${input.smoke.skipped} skipped`,
    );
    for (const report of input.smoke.reports) lines.push(`  report: ${shown(input.cwd, report)}`);
  }
  const suffix = input.commandSuffix ? ` ${input.commandSuffix}` : '';
  lines.push('Next:');
  lines.push(`  lxdstack status${suffix}      # applications, units and what blocks readiness`);
  lines.push(`  lxdstack verify${suffix}      # run the smoke tests again`);
  lines.push(`  lxdstack teardown${suffix}    # remove everything this lab created`);
  return lines;
}

export function teardownSummary(input: {
  simulated: boolean;
  leftovers: string[];
  keptController?: string;
}): string[] {
  const lines: string[] = [];
  if (input.simulated) lines.push(SIMULATION_BANNER);
  if (input.leftovers.length === 0) lines.push('Teardown complete: nothing this lab created remains.');
  else {
    const count = input.leftovers.length;
    lines.push(
      `Teardown finished, but ${count} ${count === 1 ? 'thing remains' : 'things remain'}; remove ${count === 1 ? 'it' : 'them'} by hand:`,
    );
    for (const leftover of input.leftovers) lines.push(`  - ${leftover}`);
  }
  if (input.keptController) lines.push(`Controller ${input.keptController} kept (--keep-controller).`);
  return lines;
}
