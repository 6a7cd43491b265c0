// Reading the reference bundles copied into test/fixtures/bundles/reference.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseBundleText } from '../../src/bundle/parse.js';
import type { PlainMap } from '../../src/bundle/merge.js';

export const REFERENCE_DIR = fileURLToPath(new URL('../fixtures/bundles/reference/', import.meta.url));

export function readReference(relative: string): string {
  return readFileSync(join(REFERENCE_DIR, relative), 'utf8');
}

export function referenceBundle(relative: string): PlainMap {
  return parseBundleText(readReference(relative), relative)[0]!;
}

export function referenceBundleFiles(): string[] {
  const ool = readdirSync(join(REFERENCE_DIR, 'openstack-on-lxd')).map((f) => `openstack-on-lxd/${f}`);
  return [
    'spell-2016-10-13.yaml',
    'spell-2019-05-13.yaml',
    'openstack-bundles-stable-openstack-lxd-2019-08-12.yaml',
    ...ool,
  ]
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}
