import type { JujuCheck } from '../juju/verdicts.js';
import type { LabSpec } from '../lab/schema.js';
import type { LedgerState } from '../state/ledger.js';
import type { CommandRunner } from '../util/runner.js';
import { labHasKvm, planLab } from './render.js';
import { createLabPorts } from './wiring.js';

// `lxdstack verify` of a deployed lab reads the juju checks the way deploy's verify step does: the same
// port (host, nested container or simulator), the same model, the same unitless applications.

export interface LabJujuCheckInput {
  spec: LabSpec;
  labDirectory: string;
  answersFile: string;
  simulated: boolean;
  ledger: LedgerState | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
  runner?: CommandRunner;
}

/** Whether the lab's ledger records its model as created (a lab never deployed, or torn down, has none). */
export function modelRecorded(ledger: LedgerState | undefined, spec: LabSpec): boolean {
  return (ledger?.resources ?? []).some(
    (r) => r.kind === 'model' && r.state === 'created' && r.name === `${spec.controller}:${spec.model}`,
  );
}

/** The juju checks of deploy's verify step for this lab; none when its model was never deployed. */
export async function labJujuChecks(input: LabJujuCheckInput): Promise<JujuCheck[]> {
  const { spec } = input;
  if (!modelRecorded(input.ledger, spec)) return [];
  const ports = createLabPorts({
    // the password only fills rendered files, which are not written here
    session: {
      spec,
      dir: input.labDirectory,
      source: input.answersFile,
      simulated: input.simulated,
      adminPassword: '',
    },
    env: input.env,
    signal: input.signal,
    cwd: input.cwd,
    ...(input.runner ? { runner: input.runner } : {}),
  });
  const plan = await planLab(spec, input.labDirectory, '', {
    hasKvm: labHasKvm(input.simulated),
    write: false,
  });
  return ports.juju.jujuChecks(spec.controller, spec.model, plan.paths.unitless);
}
