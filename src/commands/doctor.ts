import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSpec } from '../lab/defaults.js';
import { DEFAULT_PROFILE } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import { ExitCode, PreflightError } from '../util/errors.js';
import { DEFAULT_ANSWERS_FILE, labStateDir } from '../util/paths.js';
import { checksPassed, type CheckResult } from '../lxd/checks.js';
import { createLxdClient } from '../lxd/client.js';
import { runDoctorChecks } from '../lxd/doctor.js';
import { computeHostCheck } from '../lxd/compute-check.js';
import { checkSshKey } from '../lxd/lab-checks.js';
import { sshKeyProblem } from '../lab/ssh-key.js';
import type { AppliedFix } from '../lxd/host-changes.js';
import type { ModelProfile, PrepareReport } from '../lxd/prepare.js';
import { parseYaml } from '../util/yaml.js';
import { writeLine, type CommandContext } from '../util/context.js';
import { counted } from '../util/text.js';

export interface DoctorOptions {
  answers?: string;
  fix?: boolean;
  json?: boolean;
  /** commander's --no-container-smoke gives false. */
  containerSmoke?: boolean;
}

/** The lab's spec from --answers or ./lab.yaml; without either, the tutorial profile's defaults. */
async function doctorSpec(
  cwd: string,
  answers: string | undefined,
): Promise<{ spec: LabSpec; source: string; answersFile: string }> {
  if (answers === undefined) {
    try {
      await access(join(cwd, DEFAULT_ANSWERS_FILE));
    } catch {
      return {
        spec: defaultSpec(DEFAULT_PROFILE),
        source: `no ${DEFAULT_ANSWERS_FILE}: checking against the ${DEFAULT_PROFILE} profile's defaults`,
        // where `lxdstack init` would write it: --fix records its changes beside that file
        answersFile: join(cwd, DEFAULT_ANSWERS_FILE),
      };
    }
  }
  // Imported on demand, like --fix's modules below: without a lab.yaml, doctor answers in well under a second.
  const { loadLabSpec } = await import('../lab/load.js');
  const loaded = await loadLabSpec(cwd, answers);
  return { spec: loaded.spec, source: `checking against ${loaded.source}`, answersFile: loaded.source };
}

const LABEL: Record<CheckResult['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

function printChecks(ctx: CommandContext, results: readonly CheckResult[]): void {
  for (const result of results) {
    writeLine(ctx.stdout, `${LABEL[result.status]}  ${result.title}: ${result.measured}`);
    if (result.fix && result.status !== 'pass') writeLine(ctx.stdout, `      fix: ${result.fix}`);
  }
}

export async function runDoctor(options: DoctorOptions, ctx: CommandContext): Promise<number> {
  const { spec, source, answersFile } = await doctorSpec(ctx.cwd, options.answers);
  const containerSmoke = options.containerSmoke ?? true;
  const client = createLxdClient({ env: ctx.env, signal: ctx.signal, timeoutMs: 5_000 });
  const input = {
    spec,
    containerSmoke,
    env: ctx.env,
    labDirectory: labStateDir(answersFile, spec.name),
  };
  const hasKvm = existsSync('/dev/kvm');
  const compute = computeHostCheck(spec, { hasKvm, hasLoopControl: existsSync('/dev/loop-control') });
  // the key every target's configure step imports, read as plan reads it (beside the answers file)
  const sshKey = checkSshKey(spec.sshPublicKey, await sshKeyProblem(spec.sshPublicKey, answersFile));
  const withCompute = (checks: CheckResult[]) => [...checks, ...(compute ? [compute] : []), sshKey];
  let results = withCompute(await runDoctorChecks(input, { client }));
  let fixes: AppliedFix[] | undefined;

  let profileReport: PrepareReport | undefined;
  if (options.fix) {
    const [{ Ledger }, { acquireLabLock }, { applyDoctorFixes }, { prepareLxd }, { renderLxdProfile }] =
      await Promise.all([
        import('../state/ledger.js'),
        import('../state/lock.js'),
        import('../lxd/host-changes.js'),
        import('../lxd/prepare.js'),
        import('../bundle/render.js'),
      ]);
    const directory = labStateDir(answersFile, spec.name);
    const lock = await acquireLabLock(directory, 'doctor --fix');
    try {
      const ledger = await Ledger.open(directory, spec.name, 'doctor --fix');
      if (results.some((r) => r.status !== 'pass' && r.change)) {
        fixes = await applyDoctorFixes(results, ledger, { client });
      }
      // The model's LXD profile is a safe fix too: created (or updated, its old content kept in the
      // ledger) and read back, so deploy finds it as intended.
      const lxdReachable = !results.some(
        (r) => ['lxd-installed', 'lxd-daemon', 'lxd-socket'].includes(r.id) && r.status === 'fail',
      );
      if (lxdReachable) {
        const profile = parseYaml(renderLxdProfile(spec, { hasKvm }), 'lxd-profile.yaml');
        profileReport = await prepareLxd(spec, {
          client,
          ledger,
          profileName: `juju-${spec.model}`,
          profile: profile as ModelProfile,
        });
      }
    } finally {
      await lock.release();
    }
    results = withCompute(await runDoctorChecks(input, { client }));
  }

  const ok = checksPassed(results);
  if (options.json) {
    writeLine(
      ctx.stdout,
      JSON.stringify(
        {
          ok,
          source,
          checks: results,
          ...(fixes ? { fixes } : {}),
          ...(profileReport ? { prepared: profileReport } : {}),
        },
        null,
        2,
      ),
    );
  } else {
    writeLine(ctx.stdout, `lxdstack doctor (${source})`);
    for (const fix of fixes ?? [])
      writeLine(
        ctx.stdout,
        `FIXED ${fix.checkId}: ${fix.command}${fix.previous === undefined ? '' : ` (was ${fix.previous})`}`,
      );
    for (const command of profileReport?.commands ?? [])
      writeLine(ctx.stdout, `FIXED model profile: ${command}`);
    for (const difference of profileReport?.profile.changed ?? [])
      writeLine(ctx.stdout, `WARN  LXD changed ${difference.key} of profile ${profileReport?.profile.name}`);
    for (const key of profileReport?.profile.dropped ?? [])
      writeLine(ctx.stdout, `WARN  LXD dropped ${key} of profile ${profileReport?.profile.name}`);
    printChecks(ctx, results);
    if (options.fix && fixes)
      writeLine(
        ctx.stdout,
        `Recorded ${counted(fixes.length, 'change')} in ${labStateDir(answersFile, spec.name)}; \`lxdstack teardown\` puts them back.`,
      );
    else if (!options.fix && results.some((r) => r.status !== 'pass' && r.change))
      writeLine(
        ctx.stdout,
        'Run `lxdstack doctor --fix` to apply the fixes marked above that lxdstack can make itself.',
      );
  }
  // The JSON document already says which checks failed: the exit code alone carries the refusal.
  if (!ok && options.json) return ExitCode.preflight;
  if (!ok) {
    const failed = results.filter((r) => r.status === 'fail');
    throw new PreflightError(
      `${counted(failed.length, 'check')} failed (${failed.map((r) => r.id).join(', ')}); apply the fixes above and run \`lxdstack doctor\` again.`,
    );
  }
  return 0;
}
