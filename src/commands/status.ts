import { createJujuClient, type JujuClient } from '../juju/client.js';
import { JujuNotFoundError, NoControllersError } from '../juju/errors.js';
import { publishedRelationData } from '../juju/show-unit.js';
import { compareUnitNames, digestStatus, type JujuStatus } from '../juju/status.js';
import { formatStatusReport, machineSummary, statusReport } from '../juju/status-report.js';
import { SIMULATION_BANNER } from '../pipeline/summary.js';
import { simulatorEnv } from '../sim/env.js';
import { InputError, JobError } from '../util/errors.js';
import { labStateDir } from '../util/paths.js';
import { writeLine, type CommandContext } from '../util/context.js';

export interface StatusOptions {
  answers?: string;
  /** `CONTROLLER:MODEL`; default: the lab's. */
  model?: string;
  json?: boolean;
  simulate?: boolean;
}

interface Target {
  model: string;
  /** The simulator state folder, when reading a simulated lab. */
  simDir?: string;
  /** The lab unlocks vault by deploy's steps (vault.unlock: manual): status advice names them. */
  vaultManual?: boolean;
}

/** Which model to read and whether it lives in the simulator (explicit flag, LXDSTACK_SIM_DIR, or the lab's ledger). */
async function resolveTarget(options: StatusOptions, ctx: CommandContext): Promise<Target> {
  if (options.model !== undefined && !/^[^:\s]+:[^:\s]+$/.test(options.model)) {
    throw new InputError(`--model ${options.model}: use CONTROLLER:MODEL, e.g. --model lxdstack:openstack.`);
  }
  const envSimDir = ctx.env.LXDSTACK_SIM_DIR || undefined;
  if (options.model !== undefined && (envSimDir !== undefined || !options.simulate)) {
    return { model: options.model, simDir: envSimDir };
  }
  // Loaded only when the lab's answers are needed: the spec schema is the slowest module to load.
  const [{ loadLabSpec }, { simulatorStateDir, wasSimulated }] = await Promise.all([
    import('../lab/load.js'),
    import('../pipeline/session.js'),
  ]);
  const { spec, source } = await loadLabSpec(ctx.cwd, options.answers);
  const dir = labStateDir(source, spec.name);
  const simulated = options.simulate === true || envSimDir !== undefined || (await wasSimulated(dir));
  return {
    model: options.model ?? `${spec.controller}:${spec.model}`,
    simDir: simulated ? (envSimDir ?? simulatorStateDir(dir)) : undefined,
    vaultManual: spec.vault.unlock === 'manual',
  };
}

/** Keystone's endpoint with the protocol its first unit publishes on identity-service (https with vault). */
async function keystoneEndpoint(
  client: JujuClient,
  model: string,
  status: JujuStatus,
): Promise<{ unit: string; url: string } | undefined> {
  const unit = (status.applications.keystone?.units ?? []).slice().sort(compareUnitNames)[0];
  const address = unit ? status.units[unit]?.publicAddress : undefined;
  if (!unit || !address) return undefined;
  const published = publishedRelationData(await client.showUnit(model, unit), unit, 'identity-service');
  if (!published?.service_protocol) return undefined;
  return { unit, url: `${published.service_protocol}://${address}:5000/v3` };
}

/** `lxdstack status`: applications (ready/units), machines and what blocks readiness, from the live model. */
export async function runStatus(options: StatusOptions, ctx: CommandContext): Promise<number> {
  const target = await resolveTarget(options, ctx);
  const simulated = target.simDir !== undefined;
  const client = createJujuClient({
    env: simulated ? simulatorEnv(target.simDir!, ctx.env) : ctx.env,
    signal: ctx.signal,
    // `juju status` has the same argv in 2.9 and 3.x: no need to spend a `juju version` call.
    flavour: '3',
    ...(ctx.runner ? { runner: ctx.runner } : {}),
  });
  let status;
  try {
    status = await client.status(target.model);
  } catch (error) {
    // A simulated lab that was never deployed has no controller or model in its state folder yet.
    if (simulated && (error instanceof JujuNotFoundError || error instanceof NoControllersError)) {
      throw new JobError(
        `The simulated lab has no model ${target.model} (${error.errorLine.split('\n')[0]}): run \`lxdstack deploy --simulate\` first.`,
      );
    }
    throw error;
  }
  const report = statusReport(target.model, status, simulated, { vaultManual: target.vaultManual === true });
  const keystone = await keystoneEndpoint(client, target.model, status);
  if (options.json) {
    writeLine(ctx.stdout, JSON.stringify({ ...report, ...(keystone ? { keystone } : {}) }, null, 2));
    return 0;
  }
  if (simulated) writeLine(ctx.stdout, SIMULATION_BANNER);
  for (const line of formatStatusReport(report, machineSummary(digestStatus(status))))
    writeLine(ctx.stdout, line);
  if (keystone) writeLine(ctx.stdout, `Keystone: ${keystone.url} (as ${keystone.unit} publishes it)`);
  return 0;
}
