import { dirname, join, resolve } from 'node:path';
import { DeclinedError, InputError } from '../util/errors.js';
import { parseYaml } from '../util/yaml.js';
import { readFile, rm } from 'node:fs/promises';
import { adminPasswordPath } from '../lab/credentials.js';
import { writeFileAtomic } from '../util/fs.js';
import { LEDGER_FILE, readLedgerState } from '../state/ledger.js';
import { STATE_FOLDER, labStateDir } from '../util/paths.js';
import { defaultSpec } from '../lab/defaults.js';
import { readAnswersFile, renderLabYaml, writeLabYaml } from '../lab/labfile.js';
import { DEFAULT_PROFILE, isProfileName, type ProfileName } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import { buildSpec, mergeAnswers, type Answers } from '../lab/validate.js';
import { compareBudget, formatBudget } from '../wizard/budget.js';
import { labBudget } from '../lab/budget.js';
import { readHostFacts } from '../wizard/host-facts.js';
import { askLabAnswers, confirmWrite } from '../wizard/questions.js';
import { Writable } from 'node:stream';
import { writeJson, writeLine, type CommandContext } from '../util/context.js';

/** Each prompt ends its output when done; this keeps the command's own stdout open for the next one. */
function nonEnding(target: NodeJS.WritableStream): Writable {
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      target.write(chunk);
      callback();
    },
  });
  // The prompts wrap at the terminal's width: they read it from the stream they write to.
  Object.defineProperty(stream, 'columns', { get: () => (target as { columns?: number }).columns });
  return stream;
}

export interface InitOptions {
  answers?: string;
  yes?: boolean;
  profile?: ProfileName;
  name?: string;
  engine?: 'juju' | 'conjure-up';
  output?: string;
  genConfig?: boolean;
  json?: boolean;
}

/**
 * Wizard answers that did not make a valid lab, kept beside where lab.yaml would go (never the
 * password): the next `lxdstack init` offers them as its defaults instead of starting from scratch.
 */
export function keptAnswersPath(outputPath: string): string {
  return join(dirname(outputPath), STATE_FOLDER, 'init-answers.yaml');
}

/** Keys whose defaults belong to one profile: a previous lab.yaml's values stop applying when the profile changes. */
const PROFILE_BOUND_KEYS = ['profile', 'series', 'openstackRelease', 'components', 'engine'];

async function readPreviousAnswers(path: string, ctx: CommandContext): Promise<Answers | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = parseYaml(text, path);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Answers)
      : undefined;
  } catch (error) {
    writeLine(ctx.stderr, `warning: ignoring the existing ${path}: ${(error as Error).message}`);
    return undefined;
  }
}

/** The previous answers over the defaults, keeping each value only where it has the default's type. */
function overDefaults(defaults: unknown, previous: unknown): unknown {
  if (defaults === undefined) return previous;
  if (isPlainObject(defaults) && isPlainObject(previous)) {
    const keys = new Set([...Object.keys(defaults), ...Object.keys(previous)]);
    return Object.fromEntries([...keys].map((key) => [key, overDefaults(defaults[key], previous[key])]));
  }
  const sameType = typeof defaults === typeof previous && Array.isArray(defaults) === Array.isArray(previous);
  return sameType ? previous : defaults;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function defaultsFrom(previous: Answers | undefined) {
  return (profile: ProfileName): LabSpec => {
    if (!previous) return defaultSpec(profile);
    const carried = Object.fromEntries(
      Object.entries(previous).filter(
        ([key]) => previous.profile === profile || !PROFILE_BOUND_KEYS.includes(key),
      ),
    );
    try {
      return buildSpec(carried, { source: 'the existing lab.yaml', overrides: { profile } });
    } catch {
      // Kept answers that failed last time are still the best defaults: every prompt checks them again.
      return overDefaults(defaultSpec(profile), { ...carried, profile }) as LabSpec;
    }
  };
}

/**
 * The typed password goes to the lab's folder (0600), where deploy looks for it; lab.yaml stays shareable.
 * A deployed lab keeps the password it has: keystone's admin already uses it, so the file is left alone.
 */
async function storeTypedPassword(
  outputPath: string,
  spec: LabSpec,
): Promise<{ path: string; keptDeployed: boolean }> {
  const directory = labStateDir(outputPath, spec.name);
  const path = adminPasswordPath(directory);
  const ledger = await readLedgerState(join(directory, LEDGER_FILE));
  const deployed = (ledger?.resources ?? []).some((r) => r.state !== 'removed');
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (deployed && existing !== undefined && existing.trim() !== spec.adminPassword)
    return { path, keptDeployed: true };
  await writeFileAtomic(path, `${spec.adminPassword}\n`, 0o600);
  return { path, keptDeployed: false };
}

/** `lxdstack init`: answers (file, flags, --yes, or the wizard) -> a validated, commented lab.yaml. */
export async function runInit(options: InitOptions, ctx: CommandContext): Promise<number> {
  if (options.genConfig) {
    ctx.stdout.write(renderLabYaml(defaultSpec(options.profile ?? DEFAULT_PROFILE)));
    return 0;
  }
  const outputPath = resolve(ctx.cwd, options.output ?? 'lab.yaml');
  const flags: Answers = mergeAnswers({
    profile: options.profile,
    name: options.name,
    engine: options.engine,
  });
  const fromFile =
    options.answers === undefined ? {} : await readAnswersFile(resolve(ctx.cwd, options.answers));
  if (fromFile !== null && (typeof fromFile !== 'object' || Array.isArray(fromFile))) {
    throw new InputError(`${options.answers}: the answers must be a mapping of keys (name:, profile:, ...)`);
  }
  const fixed = mergeAnswers(fromFile, flags);
  const previous = options.answers === undefined ? await readPreviousAnswers(outputPath, ctx) : undefined;
  const source = options.answers ?? (options.yes ? 'flags' : 'your answers');

  let spec: LabSpec;
  /** Where the admin password is, when the wizard took it out of lab.yaml. */
  let passwordFile: string | undefined;
  /** The typed password was not stored: the deployed lab keeps the one it runs with. */
  let keptDeployed = false;
  if (options.answers !== undefined || options.yes) {
    const profile = isProfileName(fixed.profile)
      ? fixed.profile
      : isProfileName(previous?.profile)
        ? previous.profile
        : DEFAULT_PROFILE;
    const carried = previous ? defaultsFrom(previous)(profile) : {};
    spec = buildSpec(mergeAnswers(carried, fixed), { source });
  } else {
    if (!ctx.interactive || options.json) {
      throw new InputError(
        options.json
          ? 'init --json asks no questions; pass --yes to accept the defaults, or --answers FILE.'
          : 'init asks questions and needs a terminal; pass --yes to accept the defaults, or --answers FILE.',
      );
    }
    const prompt = () => ({ input: ctx.stdin, output: nonEnding(ctx.stdout), signal: ctx.signal });
    // Answers kept from a wizard run that did not make a valid lab are newer than lab.yaml.
    const kept = await readPreviousAnswers(keptAnswersPath(outputPath), ctx);
    if (kept)
      writeLine(ctx.stdout, `Defaults: your answers kept from last time (${keptAnswersPath(outputPath)}).`);
    const last = kept ?? previous;
    const defaults = defaultsFrom(last);
    const asked = await askLabAnswers(
      fixed,
      defaults,
      prompt,
      isProfileName(last?.profile) ? last.profile : undefined,
    );
    const profile = (asked.profile ?? fixed.profile ?? DEFAULT_PROFILE) as ProfileName;
    const answers = mergeAnswers(defaults(profile), fixed, asked);
    try {
      spec = buildSpec(answers, { source });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const kept = keptAnswersPath(outputPath);
      const { adminPassword: _neverKept, ...keep } = answers;
      await writeFileAtomic(kept, renderLabYaml(keep), 0o600);
      throw new InputError(error.message, {
        details: [
          ...error.details,
          `Your answers are kept in ${kept} (without the password): the next \`lxdstack init\` offers them as its defaults.`,
        ],
      });
    }
    const { createLxdClient } = await import('../lxd/client.js');
    const lxd = createLxdClient({ env: ctx.env, signal: ctx.signal, timeoutMs: 3_000 });
    const rows = compareBudget(
      labBudget(spec),
      await readHostFacts({ client: lxd, name: spec.lxd.storagePool }),
    );
    writeLine(ctx.stdout, `\nHost budget for ${spec.profile}:`);
    for (const line of formatBudget(rows)) writeLine(ctx.stdout, line);
    if (rows.some((r) => !r.ok))
      writeLine(ctx.stdout, '  This host is below the budget: the lab may be slow or fail to settle.');
    if (!(await confirmWrite(outputPath, prompt))) throw new DeclinedError('Nothing written.');
    if (typeof asked.adminPassword === 'string') {
      ({ path: passwordFile, keptDeployed } = await storeTypedPassword(outputPath, spec));
      const { adminPassword: _inItsOwnFile, ...shareable } = spec;
      spec = shareable;
    }
  }
  await writeLabYaml(outputPath, spec);
  await rm(keptAnswersPath(outputPath), { force: true });
  const passwordPath = passwordFile ?? adminPasswordPath(labStateDir(outputPath, spec.name));
  const answersFlag = options.output && options.output !== 'lab.yaml' ? ` --answers ${options.output}` : '';
  if (options.json) {
    writeJson(ctx.stdout, {
      path: outputPath,
      lab: spec.name,
      profile: spec.profile,
      engine: spec.engine,
      stateDir: labStateDir(outputPath, spec.name),
      adminPassword:
        spec.adminPassword !== undefined
          ? { in: outputPath }
          : { in: passwordPath, generated: passwordFile === undefined },
    });
    return 0;
  }
  writeLine(
    ctx.stdout,
    `Wrote ${outputPath} (lab ${spec.name}, profile ${spec.profile}, engine ${spec.engine}).`,
  );
  if (keptDeployed) {
    writeLine(
      ctx.stdout,
      `Lab ${spec.name} is deployed: it keeps its admin password in ${passwordPath}; the password you typed was not used (tear the lab down first to change it).`,
    );
  } else if (passwordFile !== undefined) {
    writeLine(ctx.stdout, `The admin password you typed is in ${passwordFile} (mode 0600), not in lab.yaml.`);
  } else if (spec.adminPassword === undefined) {
    writeLine(
      ctx.stdout,
      `The admin password will be generated on first deploy and kept in ${passwordPath} (mode 0600).`,
    );
  }
  writeLine(ctx.stdout, `Next: lxdstack plan${answersFlag}   (then: lxdstack deploy${answersFlag})`);
  return 0;
}
