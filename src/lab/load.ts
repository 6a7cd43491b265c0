import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { DEFAULT_ANSWERS_FILE } from '../util/paths.js';
import { registerSpecSecrets } from './credentials.js';
import { readAnswersFile } from './labfile.js';
import type { LabSpec } from './schema.js';
import { buildSpec, type Answers } from './validate.js';

export interface LoadedSpec {
  spec: LabSpec;
  /** The answers file it came from. */
  source: string;
}

/** The lab a command works on: --answers FILE, else ./lab.yaml; flags override. */
export async function loadLabSpec(
  cwd: string,
  answersPath: string | undefined,
  overrides: Answers = {},
): Promise<LoadedSpec> {
  const source = resolve(cwd, answersPath ?? DEFAULT_ANSWERS_FILE);
  if (answersPath === undefined) {
    try {
      await access(source);
    } catch {
      throw new InputError(
        `No ${DEFAULT_ANSWERS_FILE} in ${cwd}: run \`lxdstack init\` to create one, or pass --answers FILE.`,
      );
    }
  }
  const answers = await readAnswersFile(source);
  const spec = buildSpec(answers, { source, overrides });
  registerSpecSecrets(spec);
  return { spec, source };
}

export function answersPathIn(cwd: string): string {
  return join(cwd, DEFAULT_ANSWERS_FILE);
}
