// `npm run charms [-- DIR]`: regenerate src/bundle/charms/catalogue.json from the charm reference tree
// (DIR/<charm>/<track>/{metadata,config,actions}.yaml with DIR/_provenance.tsv; default: the team's
// shared/reference/charms). Deterministic: charms, tracks and every map are written in sorted order, so
// the same tree gives the same bytes, and test/bundle/catalogue.test.ts checks the shipped file.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { Catalogue, CatalogueEntry } from '../src/bundle/charms/catalogue.js';
import { readCharmFolder } from '../src/bundle/charms/folder.js';
import { writeFileAtomic } from '../src/util/fs.js';

export const DEFAULT_REFERENCE_DIR = '/work/shared/reference/charms';
export const CATALOGUE_PATH = fileURLToPath(new URL('../src/bundle/charms/catalogue.json', import.meta.url));

/** Commit date of each charm/track's metadata.yaml, from the tree's provenance table. */
async function provenanceDates(dir: string): Promise<Map<string, string>> {
  const lines = (await readFile(join(dir, '_provenance.tsv'), 'utf8')).split('\n');
  const columns = lines[0]!.split('\t');
  const [charm, track, file, date] = ['charm', 'track', 'file', 'commit_date'].map((c) => columns.indexOf(c));
  const dates = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    if (cells[file!] === 'metadata.yaml') dates.set(`${cells[charm!]}/${cells[track!]}`, cells[date!]!);
  }
  return dates;
}

/** Keys of every plain object in sorted order, so the JSON does not depend on readdir or YAML order. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  );
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
}

export async function generateCatalogue(dir: string): Promise<Catalogue> {
  const dates = await provenanceDates(dir);
  const charms: Record<string, Record<string, CatalogueEntry>> = {};
  for (const charm of await subfolders(dir)) {
    for (const track of await subfolders(join(dir, charm))) {
      const date = dates.get(`${charm}/${track}`);
      if (!date) throw new Error(`${dir}/_provenance.tsv has no metadata.yaml row for ${charm}/${track}`);
      const meta = await readCharmFolder(join(dir, charm, track));
      (charms[charm] ??= {})[track] = { ...meta, date };
    }
  }
  return sorted({ charms }) as Catalogue;
}

/** The catalogue as the file holds it: prettier's JSON, like every other file in the repository. */
export async function catalogueText(catalogue: Catalogue): Promise<string> {
  const options = (await resolveConfig(CATALOGUE_PATH)) ?? {};
  return format(JSON.stringify(catalogue), { ...options, parser: 'json' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? DEFAULT_REFERENCE_DIR;
  const catalogue = await generateCatalogue(dir);
  await writeFileAtomic(CATALOGUE_PATH, await catalogueText(catalogue));
  const tracks = Object.values(catalogue.charms).reduce((n, t) => n + Object.keys(t).length, 0);
  console.log(
    `wrote ${CATALOGUE_PATH}: ${Object.keys(catalogue.charms).length} charms, ${tracks} tracks from ${dir}`,
  );
}
