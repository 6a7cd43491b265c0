// `npm run bundles`: regenerate bundles/<profile>/ (the golden rendering of each profile's default lab).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GOLDEN_PROFILES, renderGoldenLab } from '../src/bundle/golden.js';
import { writeRenderedLab } from '../src/bundle/render.js';
import { packageRoot } from '../src/util/paths.js';

const root = join(packageRoot(new URL('../src/', import.meta.url).href), 'bundles');
for (const profile of GOLDEN_PROFILES) {
  const dir = join(root, profile);
  await rm(dir, { recursive: true, force: true });
  const written = await writeRenderedLab(dir, renderGoldenLab(profile));
  console.log(`${profile}: ${written.length} files in ${dir}`);
}
