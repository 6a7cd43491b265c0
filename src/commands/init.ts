import { resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { parseYaml } from '../util/yaml.js';
import { readFile } from 'node:fs/promises';
import { defaultSpec } from '../lab/defaults.js';
import { readAnswersFile, renderLabYaml, writeLabYaml } from '../lab/labfile.js';
import { DEFAULT_PROFILE, PROFILES, isProfileName, type ProfileName } from '../lab/profiles/index.js';
import type { LabSpec } from '../lab/schema.js';
import { buildSpec, mergeAnswers, type Answers } from '../lab/validate.js';
import { compareBudget, formatBudget } from '../wizard/budget.js';
import { readHostFacts } from '../wizard/host-facts.js';
import { askLabAnswers, confirmWrite } from '../wizard/questions.js';
import { Writable } from 'node:stream';
import { writeLine, type CommandContext } from '../util/context.js';

/** Each prompt ends its output when done; this keeps the command's own stdout open for the next one. */
function nonEnding(target: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk, _encoding, callback) {
      target.write(chunk);
      callback();
    },
  });
}

export interface InitOptions {
  answers?: string;
  yes?: boolean;
  profile?: ProfileName;
  name?: string;
  engine?: 'juju' | 'conjure-up';
  output?: string;
  genConfig?: boolean;
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
      return defaultSpec(profile);
    }
  };
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
  if (options.answers !== undefined || options.yes) {
    const profile = isProfileName(fixed.profile)
      ? fixed.profile
      : isProfileName(previous?.profile)
        ? previous.profile
        : DEFAULT_PROFILE;
    const carried = previous ? defaultsFrom(previous)(profile) : {};
    spec = buildSpec(mergeAnswers(carried, fixed), { source });
  } else {
    if (!ctx.interactive) {
      throw new InputError(
        'init asks questions and needs a terminal; pass --yes to accept the defaults, or --answers FILE.',
      );
    }
    const prompt = () => ({ input: ctx.stdin, output: nonEnding(ctx.stdout), signal: ctx.signal });
    const defaults = defaultsFrom(previous);
    const asked = await askLabAnswers(
      fixed,
      defaults,
      prompt,
      isProfileName(previous?.profile) ? previous.profile : undefined,
    );
    const profile = (asked.profile ?? fixed.profile ?? DEFAULT_PROFILE) as ProfileName;
    spec = buildSpec(mergeAnswers(defaults(profile), fixed, asked), { source });
    const rows = compareBudget(
      PROFILES[spec.profile].budget,
      await readHostFacts(),
      spec.sizing.computeUnits,
    );
    writeLine(ctx.stdout, `\nHost budget for ${spec.profile}:`);
    for (const line of formatBudget(rows)) writeLine(ctx.stdout, line);
    if (rows.some((r) => !r.ok))
      writeLine(ctx.stdout, '  This host is below the budget: the lab may be slow or fail to settle.');
    if (!(await confirmWrite(outputPath, prompt))) {
      writeLine(ctx.stdout, 'Nothing written.');
      return 0;
    }
  }
  await writeLabYaml(outputPath, spec);
  writeLine(
    ctx.stdout,
    `Wrote ${outputPath} (lab ${spec.name}, profile ${spec.profile}, engine ${spec.engine}).`,
  );
  if (spec.adminPassword === undefined) {
    writeLine(
      ctx.stdout,
      `The admin password will be generated on first deploy and kept in .lxdstack/${spec.name}/admin-password (mode 0600).`,
    );
  }
  const answersFlag = options.output && options.output !== 'lab.yaml' ? ` --answers ${options.output}` : '';
  writeLine(ctx.stdout, `Next: lxdstack plan${answersFlag}   (then: lxdstack deploy${answersFlag})`);
  return 0;
}
