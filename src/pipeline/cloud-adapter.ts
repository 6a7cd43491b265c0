import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pMemoize from 'p-memoize';
import type { ImageSource } from '../openstack/configure.js';
import { credentialSource } from '../smoke/lab-input.js';
import { hostIPv4Addresses } from '../util/host-addresses.js';
import type { LabSpec } from '../lab/schema.js';
import { JobError } from '../util/errors.js';
import { expandHome, pathBesideAnswers } from '../util/paths.js';
import type { Ledger } from '../state/ledger.js';
import type { CloudPort, SmokeOutcome } from './ports.js';

// The OpenStack port: post-deploy configuration, its removal, and the smoke suite with its reports. The
// endpoint is the one the OS_* variables name (a sourced novarc), else, for a real lab, its own Keystone
// with the lab's admin password. A simulated lab without OS_* has no endpoint: configuration is skipped
// with the reason and the smoke suite reports its API checks as skipped.

/**
 * The image configure uploads: LXDSTACK_IMAGE (a path or URL) with LXDSTACK_IMAGE_CHECKSUM when set (an
 * override; a relative path is read from the current directory, as the shell that set it means), else
 * the lab's compute.image (a relative path is read beside the answers file).
 */
export function labImageSource(
  spec: LabSpec,
  env: NodeJS.ProcessEnv,
  answersFile: string,
): ImageSource | undefined {
  const isUrl = (location: string) => /^https?:\/\//.test(location);
  if (env.LXDSTACK_IMAGE && env.LXDSTACK_IMAGE_CHECKSUM) {
    const location = env.LXDSTACK_IMAGE;
    const checksum = env.LXDSTACK_IMAGE_CHECKSUM;
    return isUrl(location) ? { url: location, checksum } : { path: expandHome(location), checksum };
  }
  const image = spec.compute?.image;
  if (!image) return undefined;
  return isUrl(image.source)
    ? { url: image.source, checksum: image.checksum }
    : { path: pathBesideAnswers(image.source, answersFile), checksum: image.checksum };
}

export function cloudPort(input: {
  spec: LabSpec;
  labDirectory: string;
  /** The lab's answers file: files it names by a relative path are beside it. */
  answersFile: string;
  env: NodeJS.ProcessEnv;
  simulated: boolean;
  adminPassword: string;
  /** The lab's Keystone v3 URL, read from the model (a real lab only). */
  keystoneUrl: () => Promise<string | undefined>;
  signal?: AbortSignal;
}): CloudPort {
  const { spec, env } = input;
  const source = credentialSource({ env, simulated: input.simulated });
  const hasEndpoint = source.kind !== 'none';
  const credentials = async () => {
    if (source.kind === 'environment')
      return (await import('../openstack/credentials.js')).credentialsFromEnv(env);
    const keystoneUrl = await input.keystoneUrl();
    if (!keystoneUrl)
      throw new JobError('keystone has no address in `juju status` yet; wait for it, then deploy again.');
    const { labAdminCredentials, labCaFile } = await import('../openstack/lab-credentials.js');
    const caFile = await labCaFile(input.labDirectory);
    return labAdminCredentials({ keystoneUrl, password: input.adminPassword, ...(caFile ? { caFile } : {}) });
  };
  // The OpenStack and smoke modules load when first needed, not for `lxdstack plan`.
  const connect = pMemoize(async () => {
    const [{ createOpenStackClient }, c] = await Promise.all([
      import('../openstack/client.js'),
      credentials(),
    ]);
    return createOpenStackClient(c);
  });
  const noEndpoint = `${input.simulated ? 'SIMULATION: ' : ''}no OpenStack endpoint is configured (source a novarc, or set OS_AUTH_URL, OS_USERNAME, OS_PASSWORD and OS_PROJECT_NAME)`;

  return {
    configureUnavailable: () => {
      if (!hasEndpoint) return noEndpoint;
      if (!labImageSource(spec, env, input.answersFile))
        return 'no image to upload: set compute.image (source and checksum) in the lab answers, or LXDSTACK_IMAGE (a file or URL) and LXDSTACK_IMAGE_CHECKSUM (sha256:HEX)';
      return undefined;
    },
    configure: async (ledger: Ledger) => {
      const image = labImageSource(spec, env, input.answersFile);
      if (!image)
        throw new JobError(
          'configure needs compute.image in the lab answers, or LXDSTACK_IMAGE and LXDSTACK_IMAGE_CHECKSUM.',
        );
      const sshPublicKey = await readFile(
        pathBesideAnswers(spec.sshPublicKey, input.answersFile),
        'utf8',
      ).catch(() => {
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
        signal: input.signal,
      });
      return report.items.map((item) => `${item.kind} ${item.name} ${item.action}`);
    },
    configuredMissing: async (ledger: Ledger) => {
      const { configuredMissing } = await import('../openstack/configure.js');
      return configuredMissing(await connect(), spec, ledger, input.signal);
    },
    removeResources: async (ledger: Ledger) => {
      if (!hasEndpoint) {
        throw new JobError(
          `the lab recorded OpenStack resources but ${noEndpoint.replace(/^SIMULATION: /, '')}; set them and run teardown again.`,
        );
      }
      const { removeCloudResources } = await import('../openstack/configure.js');
      return (await removeCloudResources(await connect(), ledger, input.signal)).removed;
    },
    verify: async ({ jujuChecks }): Promise<SmokeOutcome> => {
      const [
        { runSmokeSuite },
        { labSuiteInput },
        { REPORT_FORMATS, renderTextReport },
        { writeRunReports },
        { labTopologySvg },
      ] = await Promise.all([
        import('../smoke/suite.js'),
        import('../smoke/lab-input.js'),
        import('../smoke/report.js'),
        import('../smoke/runs.js'),
        import('../smoke/topology.js'),
      ]);
      // the same suite as `lxdstack verify` of this lab
      const report = await runSmokeSuite({
        ...labSuiteInput({
          suite: 'full',
          spec,
          simulated: input.simulated,
          hostAddresses: hostIPv4Addresses(),
        }),
        ...(hasEndpoint ? { client: await connect() } : {}),
        jujuChecks,
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
