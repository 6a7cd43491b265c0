import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseBundleText } from '../bundle/parse.js';
import { unknownFieldWarnings } from '../bundle/shape.js';
import { validateBundle } from '../bundle/validate.js';
import { isMap } from '../bundle/merge.js';
import { readYamlText } from '../util/yaml.js';
import { writeLine, type CommandContext } from '../util/context.js';

export interface BundleValidateOptions {
  file: string;
  overlay?: string[];
  juju: '2.9' | '3';
  json?: boolean;
}

async function readDocuments(cwd: string, file: string, what: string) {
  const path = resolve(cwd, file);
  return { path, documents: parseBundleText(await readYamlText(path, what), file) };
}

/**
 * `lxdstack bundle validate FILE [--overlay FILE]... [--juju 2.9|3] [--json]`: Juju's verification in
 * Juju's words. Exit 0 valid, 1 invalid, 2 when a file cannot be read or parsed.
 */
export async function runBundleValidate(
  options: BundleValidateOptions,
  ctx: CommandContext,
): Promise<number> {
  const bundle = await readDocuments(ctx.cwd, options.file, 'bundle');
  const overlays = [];
  for (const file of options.overlay ?? [])
    overlays.push(...(await readDocuments(ctx.cwd, file, 'overlay')).documents);
  const [base, ...inline] = bundle.documents;
  const result = validateBundle(
    { base, overlays: [...inline, ...overlays] },
    { juju: options.juju, bundleDir: dirname(bundle.path), pathExists: existsSync },
  );
  // Juju ignores unknown fields (a typo such as num-units deploys nothing): say so, on stderr only
  const documents = [base, ...inline, ...overlays];
  for (const [index, doc] of documents.entries()) {
    if (!isMap(doc)) continue;
    for (const warning of unknownFieldWarnings(doc, index, options.juju)) {
      writeLine(ctx.stderr, `warning: ${warning}; Juju ignores it`);
    }
  }
  if (options.json) {
    writeLine(ctx.stdout, JSON.stringify({ valid: result.valid, errors: result.errors }));
  } else if (result.valid) {
    writeLine(ctx.stdout, 'ok');
  } else {
    for (const error of result.errors) writeLine(ctx.stdout, error);
  }
  return result.valid ? 0 : 1;
}
