import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readCharmsDir, readLocalCharms } from '../bundle/charms/folder.js';
import { charmNames, localCharmPaths, withCharmPathsFrom } from '../bundle/charms/resolve.js';
import { isMap } from '../bundle/merge.js';
import { parseBundleText } from '../bundle/parse.js';
import { unknownFieldWarnings } from '../bundle/shape.js';
import { validateBundle, type CharmSource, type ValidationResult } from '../bundle/validate.js';
import { PROFILES, type ProfileName } from '../lab/profiles/index.js';
import { ExitCode, InputError } from '../util/errors.js';
import { readYamlText } from '../util/yaml.js';
import { writeLine, type CommandContext } from '../util/context.js';

export interface BundleValidateOptions {
  file: string;
  overlay?: string[];
  /** Juju flavour; default: the profile's, else 3. */
  juju?: '2.9' | '3';
  /** Folder of charms (DIR/<name>/metadata.yaml): replaces the catalogue, and every charm must be there. */
  charms?: string;
  /** Catalogue tracks for `cs:` charms, as the profile names them. */
  profile?: ProfileName;
  json?: boolean;
}

async function readDocuments(cwd: string, file: string, what: string) {
  const path = resolve(cwd, file);
  return { path, documents: parseBundleText(await readYamlText(path, what), file) };
}

async function validateFiles(
  given: BundleValidateOptions,
  cwd: string,
): Promise<{ result: ValidationResult; fieldWarnings: string[] }> {
  const juju = given.juju ?? (given.profile ? PROFILES[given.profile].juju : '3');
  const options = { ...given, juju };
  const bundle = await readDocuments(cwd, options.file, 'bundle');
  const overlays = [];
  for (const file of options.overlay ?? []) {
    const overlay = await readDocuments(cwd, file, 'overlay');
    overlays.push(...overlay.documents.map((doc) => withCharmPathsFrom(doc, dirname(overlay.path))));
  }
  const [base, ...inline] = bundle.documents;
  const documents = [base, ...inline, ...overlays];
  const bundleDir = dirname(bundle.path);
  const source: CharmSource = {
    local: await readLocalCharms(localCharmPaths(documents, bundleDir)),
    ...(options.charms
      ? { folder: await readCharmsDir(resolve(cwd, options.charms), charmNames(documents, options.juju)) }
      : {}),
    ...(options.profile ? { tracks: PROFILES[options.profile].charmTracks } : {}),
  };
  const result = validateBundle(
    { base, overlays: [...inline, ...overlays] },
    { juju: options.juju, bundleDir, pathExists: existsSync, charms: source },
  );
  // Juju ignores unknown fields (a typo such as num-units deploys nothing): say so, never as an error
  const fieldWarnings = documents.flatMap((doc, index) =>
    isMap(doc) ? unknownFieldWarnings(doc, index, options.juju).map((w) => `${w}; Juju ignores it`) : [],
  );
  return { result, fieldWarnings };
}

/**
 * `lxdstack bundle validate FILE [--overlay FILE]... [--juju 2.9|3] [--charms DIR] [--profile NAME]
 * [--json]`: Juju's verification with each charm's metadata, in Juju's words. Exit 0 valid, 1 invalid,
 * 2 when a file cannot be read or parsed; `--json` prints a verdict on stdout in every case.
 */
export async function runBundleValidate(
  options: BundleValidateOptions,
  ctx: CommandContext,
): Promise<number> {
  let outcome: Awaited<ReturnType<typeof validateFiles>>;
  try {
    outcome = await validateFiles(options, ctx.cwd);
  } catch (error) {
    if (!options.json || !(error instanceof InputError)) throw error;
    const errors = [error.message, ...error.details];
    writeLine(ctx.stdout, JSON.stringify({ valid: false, errors, warnings: [], unchecked: [] }));
    return ExitCode.usage;
  }
  const { result, fieldWarnings } = outcome;
  const warnings = [...fieldWarnings, ...result.warnings];
  if (options.json) {
    const { valid, errors, unchecked } = result;
    writeLine(ctx.stdout, JSON.stringify({ valid, errors, warnings, unchecked }));
  } else {
    for (const warning of warnings) writeLine(ctx.stderr, `warning: ${warning}`);
    if (result.unchecked.length > 0) {
      writeLine(
        ctx.stderr,
        `note: not checked against charm metadata (the charm catalogue does not know them; --charms DIR can describe them): ${result.unchecked.join(', ')}`,
      );
    }
    if (result.valid) writeLine(ctx.stdout, 'ok');
    else for (const error of result.errors) writeLine(ctx.stdout, error);
  }
  return result.valid ? ExitCode.ok : ExitCode.failure;
}
