// Which charm metadata an application of a bundle is checked against: a local charm folder, a
// `--charms DIR` folder (strict: a charm DIR lacks is an error, as in Juju's VerifyWithCharms), or the
// catalogue at the track the application's channel names (for `cs:` charms, the track the profile
// names). Pure: folders are read beforehand by the caller and passed in.
import { posix } from 'node:path';
import type { CharmTracks } from '../../lab/profiles/index.js';
import { parseBase, parseCharmUrl, q, UBUNTU_VERSIONS, type JujuFlavour } from '../../juju/syntax.js';
import { isMap, type PlainMap } from '../merge.js';
import { catalogueTrack, channelTrack, charmFor, fallbackTrack, isCatalogued } from './catalogue.js';
import type { CharmMeta } from './metadata.js';

export interface CharmSource {
  /** `--charms DIR`: each charm DIR holds, by charm name. Given, validation is strict. */
  folder?: ReadonlyMap<string, CharmMeta>;
  /** Local charms by cleaned absolute path; null for a path that is not a folder (a .charm archive). */
  local?: ReadonlyMap<string, CharmMeta | null>;
  /** Tracks for charms whose channel names none (`cs:` charms): the profile's. */
  tracks?: CharmTracks;
}

export type AppCharm =
  /** Metadata to check against; `fallback` says why findings are only warnings (track not catalogued). */
  | { kind: 'checked'; meta: CharmMeta; fallback?: string }
  /** Strict mode and DIR has no such charm. */
  | { kind: 'missing' }
  /** Nothing to check against; `note`: name it in the "not checked" note (not catalogued, an archive). */
  | { kind: 'unchecked'; note: boolean };

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function seriesOfBase(text: string | undefined): string | undefined {
  const base = text ? parseBase(text) : null;
  if (!base || base.os !== 'ubuntu') return undefined;
  return Object.keys(UBUNTU_VERSIONS).find((series) => UBUNTU_VERSIONS[series] === base.track);
}

/** The series an application's units run: its own series or base, its URL's, else the bundle's. */
export function applicationSeries(app: PlainMap, doc: PlainMap, urlSeries?: string): string | undefined {
  return (
    str(app.series) ??
    urlSeries ??
    seriesOfBase(str(app.base)) ??
    str(doc.series) ??
    seriesOfBase(str(doc['default-base']))
  );
}

export function isLocalCharm(charm: string): boolean {
  return charm.startsWith('.') || charm.startsWith('/');
}

/** A local charm's path as Juju resolves it: joined to the bundle's folder and cleaned. */
export function localCharmPath(charm: string, bundleDir: string): string {
  return posix.normalize(charm.startsWith('/') ? charm : posix.join(bundleDir, charm));
}

function fromCatalogue(
  name: string,
  app: PlainMap,
  doc: PlainMap,
  urlSeries: string | undefined,
  schema: string,
  tracks: CharmTracks | undefined,
): AppCharm {
  const charm = String(app.charm);
  if (!isCatalogued(name)) return { kind: 'unchecked', note: true };
  const series = applicationSeries(app, doc, urlSeries);
  const fromProfile = tracks && tracks !== 'channel' ? (tracks[name] ?? tracks['*']) : undefined;
  const track =
    channelTrack(str(app.channel)) ?? (schema === 'cs' || !str(app.channel) ? fromProfile : undefined);
  if (track) {
    const meta = charmFor(name, catalogueTrack(name, track, series));
    if (meta) return { kind: 'checked', meta };
  }
  const fallback = fallbackTrack(name, series)!;
  const why = track
    ? `the catalogue has no track ${q(track)} of charm ${q(name)}`
    : schema === 'cs'
      ? `charm ${q(charm)} names no track (--profile names the tracks of cs: charms)`
      : `charm ${q(charm)} names no track (give it a channel with one, such as 2024.1/stable)`;
  return {
    kind: 'checked',
    meta: charmFor(name, fallback)!,
    fallback: `${why}; checked against track ${q(fallback)}`,
  };
}

/** The metadata application `app` of bundle `doc` is checked against. */
export function resolveApplicationCharm(
  app: PlainMap,
  doc: PlainMap,
  juju: JujuFlavour,
  source: CharmSource,
  bundleDir: string,
): AppCharm {
  const charm = str(app.charm);
  if (!charm) return { kind: 'unchecked', note: false };
  if (isLocalCharm(charm)) {
    const meta = source.local?.get(localCharmPath(charm, bundleDir));
    // a missing path is reported by the path check; an archive cannot be read here
    return meta ? { kind: 'checked', meta } : { kind: 'unchecked', note: meta === null };
  }
  const url = parseCharmUrl(charm, juju);
  // an invalid URL is reported by the URL check already
  if (typeof url === 'string') return { kind: 'unchecked', note: false };
  if (source.folder) {
    const meta = source.folder.get(url.name);
    return meta ? { kind: 'checked', meta } : { kind: 'missing' };
  }
  return fromCatalogue(url.name, app, doc, url.series, url.schema, source.tracks);
}

/** The `charm:` value of every application in the documents. */
function charmValues(documents: readonly unknown[]): string[] {
  const values: string[] = [];
  for (const doc of documents) {
    if (!isMap(doc)) continue;
    for (const section of ['applications', 'services']) {
      const apps = doc[section];
      if (!isMap(apps)) continue;
      for (const app of Object.values(apps)) {
        const charm = isMap(app) ? str(app.charm) : undefined;
        if (charm) values.push(charm);
      }
    }
  }
  return values;
}

/** Charm names of every application in the documents (for reading `--charms DIR` beforehand). */
export function charmNames(documents: readonly unknown[], juju: JujuFlavour): string[] {
  const names = charmValues(documents)
    .filter((charm) => !isLocalCharm(charm))
    .map((charm) => parseCharmUrl(charm, juju))
    .flatMap((url) => (typeof url === 'string' ? [] : [url.name]));
  return [...new Set(names)].sort();
}

/** Local charm paths of every application in the documents, resolved against the bundle's folder. */
export function localCharmPaths(documents: readonly unknown[], bundleDir: string): string[] {
  const paths = charmValues(documents)
    .filter(isLocalCharm)
    .map((charm) => localCharmPath(charm, bundleDir));
  return [...new Set(paths)].sort();
}

/**
 * An overlay file's local charm paths made absolute against the overlay's own folder, as Juju's
 * `resolveRelativeCharmPath` does while merging (a copy; other documents resolve against the bundle's).
 */
export function withCharmPathsFrom(doc: PlainMap, dir: string): PlainMap {
  const apps = doc.applications;
  if (!isMap(apps)) return doc;
  const resolved = Object.entries(apps).map(([name, app]) => {
    const charm = isMap(app) ? str(app.charm) : undefined;
    return [name, charm?.startsWith('.') ? { ...(app as PlainMap), charm: localCharmPath(charm, dir) } : app];
  });
  return { ...doc, applications: Object.fromEntries(resolved) };
}
