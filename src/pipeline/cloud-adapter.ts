import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenStackClient } from '../openstack/client.js';
import type { ImageSource } from '../openstack/configure.js';
import { PROFILES } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import { JobError } from '../util/errors.js';
import { expandHome } from '../util/paths.js';
import type { Ledger } from '../state/ledger.js';
import type { CloudPort, SmokeOutcome } from './ports.js';

// The OpenStack port: post-deploy configuration, its removal, and the smoke suite with its reports. The
// endpoint is the one the OS_* variables name (a sourced novarc), else, for a real lab, its own Keystone
// with the lab's admin password. A simulated lab without OS_* has no endpoint: configuration is skipped
// with the reason and the smoke suite reports its API checks as skipped.

/** The image configure uploads: LXDSTACK_IMAGE (a path or URL) with LXDSTACK_IMAGE_CHECKSUM. */
export function imageSourceFromEnv(env: NodeJS.ProcessEnv): ImageSource | undefined {
  const location = env.LXDSTACK_IMAGE;
  const checksum = env.LXDSTACK_IMAGE_CHECKSUM;
  if (!location || !checksum) return undefined;
  return /^https?:\/\//.test(location) ? { url: location, checksum } : { path: location, checksum };
}

export function cloudPort(input: {
  spec: LabSpec;
  labDirectory: string;
  env: NodeJS.ProcessEnv;
  simulated: boolean;
  adminPassword: string;
  /** The lab's Keystone v3 URL, read from the model (a real lab only). */
  keystoneUrl: () => Promise<string | undefined>;
  signal?: AbortSignal;
}): CloudPort {
  const { spec, env } = input;
  const hasEndpoint = Boolean(env.OS_AUTH_URL) || !input.simulated;
  let client: Promise<OpenStackClient> | undefined;
  const credentials = async () => {
    if (env.OS_AUTH_URL) return (await import('../openstack/credentials.js')).credentialsFromEnv(env);
    const keystoneUrl = await input.keystoneUrl();
    if (!keystoneUrl)
      throw new JobError('keystone has no address in `juju status` yet; wait for it, then deploy again.');
    const { labAdminCredentials } = await import('../openstack/lab-credentials.js');
    return labAdminCredentials({ keystoneUrl, password: input.adminPassword });
  };
  // The OpenStack and smoke modules load when first needed, not for `lxdstack plan`.
  const connect = () =>
    (client ??= Promise.all([import('../openstack/client.js'), credentials()]).then(
      ([{ createOpenStackClient }, c]) => createOpenStackClient(c),
    ));
  const noEndpoint = `${input.simulated ? 'SIMULATION: ' : ''}no OpenStack endpoint is configured (source a novarc, or set OS_AUTH_URL, OS_USERNAME, OS_PASSWORD and OS_PROJECT_NAME)`;

  return {
    configureUnavailable: () => {
      if (!hasEndpoint) return noEndpoint;
      if (!imageSourceFromEnv(env))
        return 'no image to upload: set LXDSTACK_IMAGE (a file or URL) and LXDSTACK_IMAGE_CHECKSUM (sha256:HEX)';
      return undefined;
    },
    configure: async (ledger: Ledger) => {
      const image = imageSourceFromEnv(env);
      if (!image) throw new JobError('configure needs LXDSTACK_IMAGE and LXDSTACK_IMAGE_CHECKSUM.');
      const sshPublicKey = await readFile(expandHome(spec.sshPublicKey), 'utf8').catch(() => {
        throw new JobError(
          `the SSH public key ${spec.sshPublicKey} (sshPublicKey in the lab answers) cannot be read; create one with \`ssh-keygen\` or point sshPublicKey at yours.`,
        );
      });
      const { configureCloud } = await import('../openstack/configure.js');
      const report = await configureCloud(await connect(), spec, {
        ledger,
        image,
        sshPublicKey,
        outDir: input.labDirectory,
      });
      return report.items.map((item) => `${item.kind} ${item.name} ${item.action}`);
    },
    removeResources: async (ledger: Ledger) => {
      if (!hasEndpoint) {
        throw new JobError(
          `the lab recorded OpenStack resources but ${noEndpoint.replace(/^SIMULATION: /, '')}; set them and run teardown again.`,
        );
      }
      const { removeCloudResources } = await import('../openstack/configure.js');
      return (await removeCloudResources(await connect(), ledger)).removed;
    },
    verify: async ({ jujuChecks }): Promise<SmokeOutcome> => {
      const facts = PROFILES[spec.profile];
      const [
        { runSmokeSuite },
        { REPORT_FORMATS, renderTextReport },
        { writeRunReports },
        { labTopologySvg },
      ] = await Promise.all([
        import('../smoke/suite.js'),
        import('../smoke/report.js'),
        import('../smoke/runs.js'),
        import('../smoke/topology.js'),
      ]);
      const report = await runSmokeSuite({
        suite: 'full',
        ...(hasEndpoint ? { client: await connect() } : {}),
        simulated: input.simulated,
        jujuChecks,
        // A simulated lab checked against an outside cloud (OS_*) cannot expect the profile's hypervisor.
        ...(input.simulated ? {} : { hypervisorType: facts.hypervisorType }),
        computeCount: spec.sizing.computeUnits,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      // The same reports as `lxdstack verify`: one folder per run, the lab's topology in the HTML page.
      const picture = await labTopologySvg(input.labDirectory);
      const reports = await writeRunReports(report, REPORT_FORMATS, join(input.labDirectory, 'reports'), {
        simulated: input.simulated,
        ...(picture && 'svg' in picture ? { topologySvg: picture.svg } : {}),
      });
      return {
        passed: report.summary.pass,
        failed: report.summary.fail,
        skipped: report.summary.skip,
        reports,
        failures: report.checks
          .filter((c) => c.outcome === 'fail')
          .map((c) => `${c.name}: ${c.cause ?? 'failed'}`),
        text: renderTextReport(report),
      };
    },
  };
}
