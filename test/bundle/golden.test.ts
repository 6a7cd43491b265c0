import test from 'ava';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOLDEN_ADMIN_PASSWORD, GOLDEN_PROFILES, renderGoldenLab } from '../../src/bundle/golden.js';
import type { RenderedLab } from '../../src/bundle/render.js';

const BUNDLES = fileURLToPath(new URL('../../bundles/', import.meta.url));

function expectedFiles(rendered: RenderedLab): Record<string, string> {
  return {
    'bundle.yaml': rendered.bundle,
    ...Object.fromEntries(rendered.overlays.map((o) => [`overlays/${o.name}.yaml`, o.text])),
    'lxd-profile.yaml': rendered.lxdProfile,
    Conjurefile: rendered.conjurefile,
    ...Object.fromEntries(
      Object.entries(rendered.spell.files).map(([path, text]) => [`spell/${path}`, text]),
    ),
  };
}

async function filesIn(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await readFile(path, 'utf8');
  }
  return files;
}

for (const profile of GOLDEN_PROFILES) {
  test(`bundles/${profile} is what the templates render (run \`npm run bundles\` after changing a template)`, async (t) => {
    t.deepEqual(await filesIn(join(BUNDLES, profile)), expectedFiles(renderGoldenLab(profile)));
  });
}

test('the golden files carry the placeholder password, never a generated one', async (t) => {
  for (const profile of GOLDEN_PROFILES) {
    const bundle = await readFile(join(BUNDLES, profile, 'bundle.yaml'), 'utf8');
    t.true(bundle.includes(`admin-password: ${GOLDEN_ADMIN_PASSWORD}`), profile);
  }
});
