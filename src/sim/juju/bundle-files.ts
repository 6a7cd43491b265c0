import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { listFlag, type ParsedArgs } from '../args.js';
import { readSimBundle } from '../bundle.js';
import { confinedOpenError, snapAccess } from '../confinement.js';
import { SimCommandFailure } from '../failure.js';
import type { SimContext } from './context.js';

// The bundle and overlay files that `deploy` and `diff-bundle` read, with Juju's errors for bad ones.

async function readBundleDocuments(
  ctx: SimContext,
  given: string,
  what: 'bundle' | 'overlay',
): Promise<unknown[]> {
  const path = resolve(given);
  let file = path;
  const access = snapAccess(path, ctx.env.HOME, ctx.confinement);
  if (access === 'denied') throw new SimCommandFailure(confinedOpenError(path, access));
  try {
    // the confined snap's private /tmp holds none of the host's files
    if (access === 'absent') throw new Error('not in the snap’s /tmp');
    if ((await stat(path)).isDirectory()) file = join(path, 'bundle.yaml');
  } catch {
    throw new SimCommandFailure(
      what === 'bundle'
        ? `no charm was found at "${given}"`
        : `cannot deploy bundle: unable to process overlays: "${given}" not found`,
    );
  }
  const text = await readFile(file, 'utf8').catch(() => {
    throw new SimCommandFailure(`cannot deploy bundle: "${file}" not found`);
  });
  const docs = (await import('../../util/yaml-lib.js')).parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (const [index, doc] of list.entries()) {
    if (doc.errors.length > 0) {
      throw new SimCommandFailure(
        `cannot deploy bundle: cannot unmarshal bundle contents: unmarshal document ${index}: ${doc.errors[0]!.message.split('\n')[0]} not valid`,
      );
    }
  }
  const plain = list.map((doc) => doc.toJS() as unknown).filter((doc) => doc !== null && doc !== undefined);
  if (plain.length === 0)
    throw new SimCommandFailure('cannot deploy bundle: malformed bundle: bundle is empty not valid');
  return plain;
}

export async function loadBundle(
  ctx: SimContext,
  parsed: ParsedArgs,
): Promise<ReturnType<typeof readSimBundle>> {
  const [path] = parsed.positional;
  if (!path) throw new SimCommandFailure('no charm name specified', 2);
  const docs = await readBundleDocuments(ctx, path, 'bundle');
  for (const overlay of listFlag(parsed, 'overlay'))
    docs.push(...(await readBundleDocuments(ctx, overlay, 'overlay')));
  return readSimBundle(docs, ctx.flavour);
}
