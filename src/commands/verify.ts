import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleTopology, topologySvg } from '../bundle/graph.js';
import { createOpenStackClient, type OpenStackClient } from '../openstack/client.js';
import {
  credentialsFromCloudsYaml,
  credentialsFromEnv,
  type OpenStackCredentials,
} from '../openstack/credentials.js';
import { configuredLabCredentials } from '../openstack/lab-credentials.js';
import { EXTERNAL_NETWORK, KEYPAIR, TENANT_NETWORK, hostIsOnNetwork, imagePlan } from '../openstack/plan.js';
import { readLedgerState, LEDGER_FILE } from '../state/ledger.js';
import { parseReportFormats, renderTextReport, writeReports } from '../smoke/report.js';
import { runSmokeSuite } from '../smoke/suite.js';
import { SUITES, type SmokeInput, type SuiteName } from '../smoke/types.js';
import { loadLabSpec } from '../lab/load.js';
import { PROFILES } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import { ExitCode, InputError, InterruptedError, errorMessage } from '../util/errors.js';
import { parseYamlDocuments, readYamlText } from '../util/yaml.js';
import { DEFAULT_ANSWERS_FILE, labStateDir } from '../util/paths.js';
import { writeLine, type CommandContext } from '../util/context.js';
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
}

interface Target {
  credentials?: OpenStackCredentials;
  spec?: LabSpec;
  labDirectory?: string;
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
    if (simulated)
      return { spec, labDirectory: directory, simulated, source: `lab ${spec.name} (SIMULATION)` };
    return {
      credentials: await configuredLabCredentials(spec, directory),
      spec,
      labDirectory: directory,
      simulated,
      source: `lab ${spec.name}`,
    };
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

function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && i.family === 'IPv4')
    .map((i) => i!.address);
}

/** What the suite should expect of the lab: the names its configuration created, its hypervisor and size. */
function labExpectations(spec: LabSpec): Partial<SmokeInput> {
  return {
    hypervisorType: PROFILES[spec.profile].hypervisorType,
    computeCount: spec.sizing.computeUnits,
    imageName: imagePlan(spec).name,
    flavorName: 'm1.tiny',
    keypairName: KEYPAIR,
    externalNetworkName: EXTERNAL_NETWORK,
    tenantNetworkName: TENANT_NETWORK,
    // ping and SSH are tried only when this host has an address on the floating network (the spell's bridge)
    floatingNetworkReachable: hostIsOnNetwork(spec.network.externalCidr, localAddresses()),
  };
}

/** The lab's topology picture from its rendered bundle, when there is one (HTML report only). */
async function labTopology(
  labDirectory: string | undefined,
  ctx: CommandContext,
): Promise<string | undefined> {
  if (!labDirectory) return undefined;
  // spell/bundle.yaml is the base bundle with the lab's overlays merged: the lab as deployed.
  const merged = join(labDirectory, 'spell', 'bundle.yaml');
  const bundlePath = (await pathExists(merged)) ? merged : join(labDirectory, 'bundle.yaml');
  if (!(await pathExists(bundlePath))) return undefined;
  try {
    const bundle = parseYamlDocuments(await readYamlText(bundlePath, 'bundle'), bundlePath)[0];
    return await topologySvg(bundleTopology(bundle));
  } catch (error) {
    writeLine(ctx.stderr, `The HTML report has no topology picture: ${errorMessage(error)}`);
    return undefined;
  }
}

export async function runVerify(options: VerifyOptions, ctx: CommandContext): Promise<number> {
  const suite = options.suite ?? 'full';
  if (!(SUITES as readonly string[]).includes(suite))
    throw new InputError(`--suite: "${suite}" is not one of ${SUITES.join(', ')}.`);
  const formats = parseReportFormats(options.report);
  const target = await chooseTarget(options, ctx);
  let client: OpenStackClient | undefined;
  // the client gets no abort signal: after Ctrl-C the suite stops waiting, but its clean-up must still reach the cloud
  if (target.credentials) client = await createOpenStackClient(target.credentials);

  const report = await runSmokeSuite({
    suite,
    computeCount: 1,
    ...(target.spec ? labExpectations(target.spec) : {}),
    ...(client ? { client } : {}),
    simulated: target.simulated,
    signal: ctx.signal,
  });
  const secrets = client?.secrets ?? [];
  writeLine(ctx.stdout, `Verifying ${target.source}.`);
  ctx.stdout.write(renderTextReport(report, { secrets }));
  if (formats.length > 0) {
    const outDir = resolve(
      ctx.cwd,
      options.out ?? (target.labDirectory ? join(target.labDirectory, 'reports') : 'lxdstack-reports'),
    );
    const topology = formats.includes('html') ? await labTopology(target.labDirectory, ctx) : undefined;
    const paths = await writeReports(report, formats, outDir, {
      secrets,
      simulated: target.simulated,
      ...(topology ? { topologySvg: topology } : {}),
    });
    for (const path of paths) writeLine(ctx.stdout, `Report: ${path}`);
  }
  if (ctx.signal.aborted)
    throw new InterruptedError('Interrupted: the suite stopped early and cleaned up what it created.');
  return report.ok ? ExitCode.ok : ExitCode.failure;
}
