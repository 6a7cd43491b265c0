// Reading a charm folder (DIR/<name>/ of `--charms`, a local charm path, the reference tree the
// catalogue is generated from): metadata.yaml, and config.yaml and actions.yaml where present. Anything
// a charm reader could not use (a missing metadata.yaml, broken YAML, a list, a symlink loop, a huge
// file) is an InputError of one line that names the file.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { InputError, errorMessage } from '../../util/errors.js';
import { MAX_YAML_BYTES } from '../../util/yaml.js';
import { charmFromFiles, type CharmMeta } from './metadata.js';

/** The file's text; undefined when it is optional and absent. */
async function readCharmFile(path: string, optional: boolean): Promise<string | undefined> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new InputError(`${path} is not a file; a charm's ${path.split('/').pop()} is a YAML file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && optional) return undefined;
    if (code === 'ENOENT')
      throw new InputError(`${path} does not exist; every charm folder needs a metadata.yaml.`);
    if (code === 'ELOOP') throw new InputError(`${path} is a symlink loop; point the link at a real file.`);
    throw new InputError(`${path} cannot be read: ${errorMessage(error)}`);
  }
  if (size > MAX_YAML_BYTES) {
    throw new InputError(
      `${path} is ${Math.round(size / 1024)} KiB, over the ${Math.round(MAX_YAML_BYTES / 1024)} KiB limit for a charm file; is this really charm metadata?`,
    );
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`${path} cannot be read: ${errorMessage(error)}`);
  }
}

/** YAML 1.1 with repeated keys allowed (the later wins), as go-yaml v2 read charm files (ceph-mon 16.10 repeats one). */
function parseCharmYaml(text: string, path: string): unknown {
  const docs = parseAllDocuments(text, { version: '1.1', prettyErrors: true, uniqueKeys: false });
  if (!Array.isArray(docs) || docs.length === 0) return null;
  const error = docs.flatMap((doc) => doc.errors)[0];
  if (error) {
    const pos = error.linePos?.[0];
    const first = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(`${path}${pos ? `:${pos.line}:${pos.col}` : ''}: ${first}; fix the YAML.`);
  }
  try {
    return docs[0]!.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError(`${path}: ${errorMessage(error)}; fix the YAML.`);
  }
}

async function readYamlFile(folder: string, name: string, optional: boolean): Promise<unknown> {
  const path = join(folder, name);
  const text = await readCharmFile(path, optional);
  return text === undefined ? undefined : parseCharmYaml(text, path);
}

/** The charm in `folder`: metadata.yaml (required), config.yaml and actions.yaml (optional). */
export async function readCharmFolder(folder: string): Promise<CharmMeta> {
  const metadata = await readYamlFile(folder, 'metadata.yaml', false);
  const config = await readYamlFile(folder, 'config.yaml', true);
  const actions = await readYamlFile(folder, 'actions.yaml', true);
  return charmFromFiles({ metadata, config, actions }, folder);
}

/** What a path in a bundle is: a folder, something else (a .charm archive), or nothing. */
export async function charmPathKind(path: string): Promise<'folder' | 'other' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    if (code === 'ELOOP') throw new InputError(`${path} is a symlink loop; point the link at a real folder.`);
    throw new InputError(`${path} cannot be read: ${errorMessage(error)}`);
  }
}

/**
 * `--charms DIR`: DIR/<name>/ for each charm name the bundle uses. A name DIR has no folder for is left
 * out (validation then says Juju's "refers to non-existent charm"); a folder that is not a readable
 * charm is an InputError.
 */
export async function readCharmsDir(dir: string, names: readonly string[]): Promise<Map<string, CharmMeta>> {
  if ((await charmPathKind(dir)) !== 'folder') {
    throw new InputError(
      `--charms ${dir} is not a folder; give the folder that holds <charm>/metadata.yaml.`,
    );
  }
  const charms = new Map<string, CharmMeta>();
  for (const name of names) {
    const folder = join(dir, name);
    const kind = await charmPathKind(folder);
    if (kind === 'other')
      throw new InputError(`${folder} is a file; a charm in --charms is a folder with metadata.yaml.`);
    if (kind === 'folder') charms.set(name, await readCharmFolder(folder));
  }
  return charms;
}

/** Local charms by path: folders are read; anything else (a .charm archive) is null; missing paths are left out. */
export async function readLocalCharms(paths: readonly string[]): Promise<Map<string, CharmMeta | null>> {
  const charms = new Map<string, CharmMeta | null>();
  for (const path of paths) {
    const kind = await charmPathKind(path);
    if (kind !== 'missing') charms.set(path, kind === 'folder' ? await readCharmFolder(path) : null);
  }
  return charms;
}
