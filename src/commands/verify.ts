import { join, resolve } from 'node:path';
import { createOpenStackClient, type OpenStackClient } from '../openstack/client.js';
import {
  credentialsFromCloudsYaml,
  credentialsFromEnv,
  type OpenStackCredentials,
} from '../openstack/credentials.js';
import { configuredLabCredentials } from '../openstack/lab-credentials.js';
import { readLedgerState, LEDGER_FILE, type LedgerState } from '../state/ledger.js';
import { labJujuChecks } from '../pipeline/lab-juju-checks.js';
import { parseReportFormats, renderJsonReport, renderTextReport, writeReports } from '../smoke/report.js';
import { writeRunReports } from '../smoke/runs.js';
import { labTopologySvg } from '../smoke/topology.js';
import { runSmokeSuite } from '../smoke/suite.js';
import { SUITES, type SuiteName } from '../smoke/types.js';
import { credentialSource, labSuiteInput } from '../smoke/lab-input.js';
import { hostIPv4Addresses } from '../util/host-addresses.js';
import { loadLabSpec } from '../lab/load.js';
import type { LabSpec } from '../lab/schema.js';
import { ExitCode, InputError, InterruptedError } from '../util/errors.js';
import { DEFAULT_ANSWERS_FILE, labStateDir } from '../util/paths.js';
import { humanContext, writeJson, writeLine, type CommandContext } from '../util/context.js';
import { pathExists } from '../util/fs.js';

// `lxdstack verify`: the smoke suite against the lab (its clouds.yaml and admin password), or any cloud
// the OS_* variables or --os-cloud name, with a text summary and the requested report files.

export interface VerifyOptions {
  answers?: string;
  suite?: SuiteName;
  /** Comma-separated: json,junit,html. */
  report?: string;
  out?: string;
  osCloud?: string;
  simulate?: boolean;
  /** Instances of the compute check (default max(3, the lab's compute units)). */
  instances?: string;
  /** The image and flavor to boot, over the lab's (a cloud without a lab has no names of its own). */
  image?: string;
  flavor?: string;
  json?: boolean;
}

interface Target {
  credentials?: OpenStackCredentials;
  spec?: LabSpec;
  labDirectory?: string;
  answersFile?: string;
  ledger?: LedgerState;
  simulated: boolean;
  source: string;
}

async function chooseTarget(options: VerifyOptions, ctx: CommandContext): Promise<Target> {
  if (options.osCloud) {
    return {
      credentials: await credentialsFromCloudsYaml(options.osCloud, ctx.env, ctx.cwd),
      simulated: false,
      source: `clouds.yaml cloud ${options.osCloud}`,
    };
  }
  const hasLab = options.answers !== undefined || (await pathExists(resolve(ctx.cwd, DEFAULT_ANSWERS_FILE)));
  if (hasLab) {
    const { spec, source } = await loadLabSpec(ctx.cwd, options.answers);
    const directory = labStateDir(source, spec.name);
    const ledger = await readLedgerState(join(directory, LEDGER_FILE));
    const simulated = options.simulate === true || ledger?.simulated === true;
    const lab = {
      spec,
      labDirectory: directory,
      answersFile: source,
      simulated,
      ...(ledger ? { ledger } : {}),
    };
    const from = credentialSource({ env: ctx.env, simulated });
    const label = `lab ${spec.name}${simulated ? ' (SIMULATION)' : ''}`;
    if (from.kind === 'none') return { ...lab, source: label };
    if (from.kind === 'environment')
      return {
        ...lab,
        credentials: credentialsFromEnv(ctx.env),
        source: `${label} with the OS_* environment`,
      };
    return { ...lab, credentials: await configuredLabCredentials(spec, directory), source: label };
  }
  if (options.simulate) return { simulated: true, source: 'SIMULATION' };
  if (ctx.env.OS_AUTH_URL)
    return { credentials: credentialsFromEnv(ctx.env), simulated: false, source: 'the OS_* environment' };
  if (ctx.env.OS_CLOUD) {
    return {
      credentials: await credentialsFromCloudsYaml(ctx.env.OS_CLOUD, ctx.env, ctx.cwd),
      simulated: false,
      source: `clouds.yaml cloud ${ctx.env.OS_CLOUD}`,
    };
  }
  throw new InputError(
    `Nothing to verify: no ${DEFAULT_ANSWERS_FILE} here, no OS_AUTH_URL or OS_CLOUD, no --os-cloud; run \`lxdstack init\`, source a novarc, or pass --os-cloud NAME.`,
  );
}

/** A flag's whole number; anything else becomes NaN, which the suite's input refuses by name. */
function wholeNumber(text: string): number {
  return /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
}

export async function runVerify(options: VerifyOptions, output: CommandContext): Promise<number> {
  const ctx = humanContext(output, options.json);
  const suite = options.suite ?? 'full';
  if (!(SUITES as readonly string[]).includes(suite))
    throw new InputError(`--suite: "${suite}" is not one of ${SUITES.join(', ')}.`);
  const formats = parseReportFormats(options.report);
  const target = await chooseTarget(options, ctx);
  let client: OpenStackClient | undefined;
  // the client gets no abort signal: after Ctrl-C the suite stops waiting, but its clean-up must still reach the cloud
  if (target.credentials) client = await createOpenStackClient(target.credentials);
  // a deployed lab's juju checks too, as deploy's verify step runs them
  const jujuChecks =
    target.spec && target.labDirectory && target.answersFile
      ? await labJujuChecks({
          spec: target.spec,
          labDirectory: target.labDirectory,
          answersFile: target.answersFile,
          simulated: target.simulated,
          ledger: target.ledger,
          env: ctx.env,
          cwd: ctx.cwd,
          signal: ctx.signal,
          ...(ctx.runner ? { runner: ctx.runner } : {}),
        })
      : [];

  const report = await runSmokeSuite({
    ...labSuiteInput({
      suite,
      ...(target.spec ? { spec: target.spec } : {}),
      simulated: target.simulated,
      hostAddresses: hostIPv4Addresses(),
      ...(options.instances !== undefined ? { instances: wholeNumber(options.instances) } : {}),
      ...(options.image ? { imageName: options.image } : {}),
      ...(options.flavor ? { flavorName: options.flavor } : {}),
    }),
    ...(client ? { client } : {}),
    jujuChecks,
    signal: ctx.signal,
  });
  const secrets = client?.secrets ?? [];
  writeLine(ctx.stdout, `Verifying ${target.source}.`);
  ctx.stdout.write(renderTextReport(report, { secrets }));
  const paths: string[] = [];
  if (formats.length > 0) {
    const picture =
      formats.includes('html') && target.labDirectory ? await labTopologySvg(target.labDirectory) : undefined;
    if (picture && 'problem' in picture)
      writeLine(ctx.stderr, `The HTML report has no topology picture: ${picture.problem}`);
    const renderOptions = {
      secrets,
      simulated: target.simulated,
      ...(picture && 'svg' in picture ? { topologySvg: picture.svg } : {}),
    };
    // --out is exactly where the files go; the default keeps one folder per run, with a `latest` link.
    paths.push(
      ...(options.out !== undefined
        ? await writeReports(report, formats, resolve(ctx.cwd, options.out), renderOptions)
        : await writeRunReports(
            report,
            formats,
            target.labDirectory ? join(target.labDirectory, 'reports') : resolve(ctx.cwd, 'lxdstack-reports'),
            renderOptions,
          )),
    );
    for (const path of paths) writeLine(ctx.stdout, `Report: ${path}`);
  }
  if (options.json) {
    writeJson(output.stdout, {
      source: target.source,
      simulated: target.simulated,
      ok: report.ok,
      reports: paths,
      report: JSON.parse(renderJsonReport(report, { secrets, simulated: target.simulated })) as unknown,
    });
  }
  if (ctx.signal.aborted)
    throw new InterruptedError('Interrupted: the suite stopped early and cleaned up what it created.');
  return report.ok ? ExitCode.ok : ExitCode.failure;
}
