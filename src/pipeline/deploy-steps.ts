import { dirname, join } from 'node:path';
import type { LabSpec } from '../lab/schema.js';
import { PreflightError, InputError, JobError } from '../util/errors.js';
import type { Ledger } from '../state/ledger.js';
import type { LabPorts, SmokeOutcome, WaitProgress } from './ports.js';
import type { Step, StepIo } from './steps.js';
import { rootCaStep, vaultUnlockStep } from './vault-steps.js';

// The ordered steps of `lxdstack deploy`, each with its postcondition. Pure construction: the steps
// act only through the ports they are given.

/** Where the rendered lab lives (written by the plan stage before any step runs). */
export interface RenderedPaths {
  bundlePath: string;
  overlayPaths: string[];
  profilePath: string;
  profileYaml: string;
  spellDir: string;
  /** Applications the bundle (with overlays) deploys: deploy's postcondition. */
  applications: string[];
  /** Applications the bundle gives no units (unrelated subordinates such as the 2016 spell's ntp). */
  unitless: string[];
  /** Units per application as the bundle asks (0 for the unitless): readiness requires them. */
  units: Record<string, number>;
}

export interface DeployInput {
  spec: LabSpec;
  ledger: Ledger;
  ports: LabPorts;
  rendered: RenderedPaths;
  simulated: boolean;
  /** Upper bound on the readiness wait. */
  waitTimeoutMs: number;
  /** Receives the smoke outcome (for the summary). */
  onVerified?: (outcome: SmokeOutcome) => void;
  /** The lab's folder: vault's keys and the root CA are written there. */
  labDirectory: string;
  /** Registers a secret learnt during the run (vault's keys and tokens) with the run's redaction. */
  onSecret?: (secret: string) => void;
}

export const DEPLOY_STEP_NAMES = [
  'preflight',
  'prepare-lxd',
  'controller',
  'model',
  'deploy',
  'vault',
  'wait',
  'ca',
  'expose',
  'configure',
  'verify',
] as const;

/** Marks the ledger record of the staging folder a strictly confined juju reads from. */
export const STAGING = 'juju-staging';

/** Targets whose machines are not this host's LXD containers. */
const REMOTE_TARGETS: ReadonlySet<string> = new Set(['existing-controller', 'maas', 'lxd-cluster']);
export function isRemoteTarget(spec: Pick<LabSpec, 'target'>): boolean {
  return REMOTE_TARGETS.has(spec.target.kind);
}

/** Preflight checks that still matter for a remote target: the tools run from here. */
const TOOL_CHECKS: ReadonlySet<string> = new Set(['juju', 'conjure-up']);

/** Model config and bootstrap config from the spec: the proxies go to both. */
export function proxyConfig(spec: LabSpec): Record<string, string> {
  const config: Record<string, string> = {};
  if (spec.proxy.http) config['http-proxy'] = spec.proxy.http;
  if (spec.proxy.https) config['https-proxy'] = spec.proxy.https;
  if (spec.proxy.noProxy) config['no-proxy'] = spec.proxy.noProxy;
  return config;
}

export function formatProgress(progress: WaitProgress): string {
  const seconds = Math.round(progress.elapsedMs / 1000);
  const waiting = progress.applications.filter((a) => a.ready < a.wanted);
  const ready = progress.applications.length - waiting.length;
  const parts = waiting
    .slice(0, 4)
    .map((a) => `${a.application} ${a.ready}/${a.wanted}${a.message ? ` (${a.message})` : ''}`);
  const more = waiting.length > 4 ? `, +${waiting.length - 4} more` : '';
  return `${ready}/${progress.applications.length} applications ready after ${seconds}s${parts.length ? `; waiting: ${parts.join(', ')}${more}` : ''}`;
}

function doneEarlier(ledger: Ledger, name: string): string | undefined {
  const record = ledger.step(name);
  if (record?.state === 'done') return `done earlier (${record.finishedAt ?? record.startedAt})`;
  return undefined;
}

/**
 * A step done earlier whose work can be undone behind lxdstack's back (an LXD pool deleted, an image
 * removed from the cloud): done only while `missing` (one read-only look at the world) finds nothing
 * gone; else the step runs again, its report line naming what was gone.
 */
async function doneEarlierAndInPlace(
  ledger: Ledger,
  name: string,
  io: StepIo,
  missing: () => Promise<string[]>,
): Promise<string | undefined> {
  const done = doneEarlier(ledger, name);
  if (!done) return undefined;
  const gone = await missing();
  if (gone.length === 0) return done;
  io.report(`gone since it was done: ${gone.join(', ')}; doing it again`);
  return undefined;
}

export function deploySteps(input: DeployInput): Step[] {
  const { spec, ledger, ports, rendered } = input;
  const { controller, model } = spec;
  const config = proxyConfig(spec);
  const bootstrapInput = { cloud: spec.target.cloud, controller, config };
  const deployInput = { controller, model, bundlePath: rendered.bundlePath, overlays: rendered.overlayPaths };
  const spellInput = { spellDir: rendered.spellDir, cloud: spec.target.cloud, controller, model };

  const remoteTarget = isRemoteTarget(spec);
  const preflight: Step = {
    name: 'preflight',
    title: 'Preflight (doctor)',
    commands: () => ['lxdstack doctor'],
    satisfied: async () => doneEarlier(ledger, 'preflight'),
    run: async (io) => {
      const checks = await ports.lxd.preflight();
      for (const check of checks) {
        if (check.status !== 'pass') io.report(`${check.status}: ${check.title}: ${check.measured}`);
      }
      // A remote target (existing controller, MAAS, LXD cluster) does not use this host's LXD: only the
      // tools it runs here can refuse the deploy.
      const failed = checks.filter((c) => c.status === 'fail' && (!remoteTarget || TOOL_CHECKS.has(c.id)));
      if (input.simulated) {
        return `SIMULATION: ${checks.length} host checks reported as information (${failed.length} would fail on this host)`;
      }
      if (failed.length > 0) {
        throw new PreflightError(
          `Preflight refused: ${failed.length} host check${failed.length === 1 ? '' : 's'} failed; fix them and run \`lxdstack deploy\` again (or try the lab on the simulator: \`lxdstack deploy --simulate\`).`,
          {
            details: failed.map((c) => `${c.title}: ${c.measured}${c.fix ? `; fix: ${c.fix}` : ''}`),
          },
        );
      }
      return `${checks.length} checks passed`;
    },
  };

  const notThisHostsLxd = `the target is ${spec.target.kind} (cloud ${spec.target.cloud}): this host's LXD is not used`;
  const prepareLxd: Step = {
    name: 'prepare-lxd',
    title: 'Prepare LXD',
    // plan shows what deploy does: for a remote target, nothing here
    commands: () => (remoteTarget ? [`(nothing: ${notThisHostsLxd})`] : ports.lxd.describe.prepare()),
    satisfied: async (io) =>
      remoteTarget
        ? notThisHostsLxd
        : doneEarlierAndInPlace(ledger, 'prepare-lxd', io, () => ports.lxd.preparationMissing()),
    run: async (io) => {
      const notes = await ports.lxd.prepare(ledger);
      for (const note of notes) io.report(note);
      return notes.length ? notes.join('; ') : undefined;
    },
    retries: 1,
    advice: () => 'run `lxdstack doctor` to see what LXD is missing',
  };

  // A target that is an existing controller is used, never bootstrapped (and so never torn down).
  const existingController = spec.target.kind === 'existing-controller';
  const controllerStep: Step = {
    name: 'controller',
    title: `Controller ${controller}`,
    commands: () =>
      existingController
        ? [`(reuse the existing controller ${controller}; nothing is bootstrapped)`]
        : [ports.juju.describe.bootstrap(bootstrapInput)],
    satisfied: async () => {
      const health = await ports.juju.controllerHealth(controller);
      if (health === 'absent' && existingController) {
        throw new InputError(
          `The lab's target is an existing controller, but juju knows no controller "${controller}"; check \`juju controllers\` (register it with \`juju register\`), or set \`controller:\` in the lab answers.`,
        );
      }
      if (health === 'absent') return undefined;
      if (health === 'unreachable') {
        throw new JobError(`controller "${controller}" exists but does not answer`, {
          details: [
            `Check it with \`juju status -m ${controller}:controller\`, or remove it with \`juju kill-controller ${controller}\` if this lab created it.`,
          ],
        });
      }
      const ours = ledger.findResource('controller', controller);
      if (ours && ours.state === 'creating') await ledger.commitResource(ours.id);
      return ours
        ? `controller ${controller} is up`
        : `reusing the existing healthy controller ${controller}`;
    },
    run: async () => {
      const record = await ledger.beginResource({
        kind: 'controller',
        name: controller,
        data: { cloud: spec.target.cloud },
      });
      await ports.juju.bootstrap(bootstrapInput);
      await ledger.commitResource(record.id);
      return `bootstrapped on ${spec.target.cloud}`;
    },
    advice: () =>
      `see \`juju bootstrap\`'s error above; if a half-made controller remains, \`lxdstack teardown\` removes it`,
  };

  const conjure = spec.engine === 'conjure-up';
  const modelName = `${controller}:${model}`;
  // A controller that is not this lab's may know several clouds: the model goes on the spec's.
  const addModelInput = { controller, model, config, ...(remoteTarget ? { cloud: spec.target.cloud } : {}) };
  let modelSeen: boolean | undefined;
  const modelStep: Step = {
    name: 'model',
    title: `Model ${model} and its LXD profile`,
    commands: () =>
      conjure
        ? ['(conjure-up adds the model in the deploy step)']
        : [ports.juju.describe.addModel(addModelInput), ports.lxd.describe.profile()],
    satisfied: async () => {
      const exists = await ports.juju.modelExists(controller, model);
      modelSeen = exists;
      const ours = ledger.findResource('model', modelName);
      if (exists && !ours) {
        throw new InputError(
          `Model ${modelName} already exists and this lab did not create it; set another \`model:\` in the lab answers, or remove it yourself.`,
        );
      }
      if (conjure)
        return exists ? `model ${model} exists` : 'conjure-up adds the model itself, in the deploy step';
      if (exists && ours?.state === 'created' && ledger.step('model')?.state === 'done')
        return `model ${model} exists`;
      return undefined;
    },
    run: async () => {
      // satisfied() looked just before this attempt (it runs before every attempt).
      const exists = modelSeen ?? (await ports.juju.modelExists(controller, model));
      modelSeen = undefined;
      if (!exists) {
        const record = await ledger.beginResource({
          kind: 'model',
          name: `${controller}:${model}`,
          data: { controller, model },
        });
        await ports.juju.addModel(addModelInput);
        await ledger.commitResource(record.id);
      } else {
        const record = ledger.findResource('model', `${controller}:${model}`);
        if (record?.state === 'creating') await ledger.commitResource(record.id);
      }
      if (remoteTarget) return `model added on ${spec.target.kind} (no local LXD profile to apply)`;
      const notes = await ports.lxd.applyModelProfile(ledger);
      return notes.join('; ');
    },
    retries: 1,
  };

  const deployStep: Step = {
    name: 'deploy',
    title: conjure ? 'Deploy the spell (conjure-up, headless)' : 'Deploy the bundle',
    commands: () => [
      conjure ? ports.conjure.describe(spellInput) : ports.juju.describe.deployBundle(deployInput),
      ...(ports.staging && !conjure
        ? [
            '(a strictly confined juju (Juju 3 from the snap) reads a copy of these files staged in ~/lxdstack-staging/<lab>-<id>)',
          ]
        : []),
    ],
    // The bundle's own diff against the model: a deploy killed after adding applications but before
    // their relations and units is not done. (conjure-up's spell deploys the same bundle.)
    satisfied: async (io) => {
      const pending = await ports.juju.bundlePending(deployInput);
      if (pending.length === 0)
        return `the model matches the bundle (${rendered.applications.length} applications)`;
      if (pending[0] !== 'the model does not exist')
        io.report(
          `still to deploy: ${pending.slice(0, 3).join('; ')}${pending.length > 3 ? `; +${pending.length - 3} more` : ''}`,
        );
      return undefined;
    },
    run: async (io) => {
      if (conjure) {
        // conjure-up creates the model: recorded before it runs, so a crash still leaves it ours.
        const record = await ledger.beginResource({
          kind: 'model',
          name: modelName,
          data: { controller, model },
        });
        await ports.conjure.deploySpell({ ...spellInput, onProgress: (line) => io.report(line) });
        await ledger.commitResource(record.id);
      } else {
        // a strictly confined juju reads the bundle from a staging folder in home: recorded before use
        const staged = await ports.staging?.dir();
        if (staged) await ledger.recordResource({ kind: 'file', name: staged, data: { by: STAGING } });
        await ports.juju.deployBundle(deployInput);
      }
      return `${rendered.applications.length} applications`;
    },
    // Re-deploying a bundle applies only what is missing, so a retry is safe.
    retries: 1,
  };

  const waitStep: Step = {
    name: 'wait',
    title: 'Wait for readiness',
    commands: () => [
      `${ports.juju.describe.status(controller, model)}  (polled until every unit is active and idle)`,
    ],
    satisfied: async () =>
      (await ports.juju.isReady(controller, model, rendered.units))
        ? 'every application is ready'
        : undefined,
    run: async (io) => {
      const started = Date.now();
      await ports.juju.waitForReady({
        controller,
        model,
        timeoutMs: input.waitTimeoutMs,
        expectedUnits: rendered.units,
        onProgress: (progress) => io.report(formatProgress(progress)),
      });
      return `ready after ${Math.round((Date.now() - started) / 100) / 10}s`;
    },
    advice: () =>
      `look at \`lxdstack status\` and \`lxdstack logs\`; fix the unit named above (e.g. \`juju resolved <unit>\`)`,
  };

  const expose: Step = {
    name: 'expose',
    title: 'Expose the cloud to this host',
    commands: () =>
      ports.lxd.describe.expose?.() ?? ["(nothing: the cloud's addresses are reachable from here)"],
    // a simulated cloud's addresses answer nowhere: say so, as the summary's dashboard line does
    satisfied: async () =>
      ports.lxd.expose
        ? doneEarlier(ledger, 'expose')
        : input.simulated
          ? 'SIMULATION: the simulated addresses answer nowhere; nothing to expose'
          : "the cloud's addresses are reachable from this host",
    run: async (io) => {
      const dashboardAddress = spec.components.dashboard
        ? await ports.juju.unitAddress(controller, model, 'openstack-dashboard')
        : undefined;
      const notes =
        (await ports.lxd.expose?.({ ledger, ...(dashboardAddress ? { dashboardAddress } : {}) })) ?? [];
      for (const note of notes) io.report(note);
      return notes.join('; ');
    },
    retries: 1,
  };

  const configure: Step = {
    name: 'configure',
    title: 'Configure the cloud (images, flavors, networks)',
    commands: () => [
      'OpenStack API calls: images, flavors, keypair, external and tenant networks, router, security rules',
    ],
    satisfied: async (io) =>
      ports.cloud.configureUnavailable() ??
      doneEarlierAndInPlace(ledger, 'configure', io, () => ports.cloud.configuredMissing(ledger)),
    run: async (io) => {
      const notes = await ports.cloud.configure(ledger);
      for (const note of notes) io.report(note);
      return notes.length ? `${notes.length} resources ready` : undefined;
    },
    retries: 1,
  };

  const verify: Step = {
    name: 'verify',
    title: 'Verify (smoke tests)',
    commands: () => ['lxdstack verify --report json,junit,html'],
    // Always runs: re-running deploy on a finished lab only verifies.
    satisfied: async () => undefined,
    run: async () => {
      const jujuChecks = await ports.juju.jujuChecks(controller, model, rendered.unitless);
      const outcome = await ports.cloud.verify({ jujuChecks });
      input.onVerified?.(outcome);
      if (outcome.failed > 0) {
        throw new JobError(`${outcome.failed} smoke check${outcome.failed === 1 ? '' : 's'} failed`, {
          details: outcome.failures,
        });
      }
      return `${outcome.passed} passed, ${outcome.skipped} skipped`;
    },
    advice: () =>
      `read the smoke report in ${join(dirname(ledger.path), 'reports', 'latest')}; \`lxdstack verify\` re-runs only the checks`,
  };

  // A bundle with vault: its post-deployment steps before the wait (the certificates everything waits
  // for come after them), its root CA once the model is ready.
  const vault = ports.vault;
  const vaultInput = vault && {
    spec,
    ledger,
    vault,
    labDirectory: input.labDirectory,
    onSecret: input.onSecret ?? (() => {}),
    waitTimeoutMs: input.waitTimeoutMs,
  };
  return [
    preflight,
    prepareLxd,
    controllerStep,
    modelStep,
    deployStep,
    ...(vaultInput ? [vaultUnlockStep(vaultInput)] : []),
    waitStep,
    ...(vaultInput ? [rootCaStep(vaultInput)] : []),
    expose,
    configure,
    verify,
  ];
}
