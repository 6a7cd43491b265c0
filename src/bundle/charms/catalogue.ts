// The charm catalogue shipped with lxdstack: every charm of the three profiles and of the charmers'
// reference bundle, per track, generated from the team's charm reference tree by
// scripts/gen-charm-catalogue.ts (`npm run charms`). Bundle validation reads it, and so may the simulator
// (endpoints and interfaces). Pure lookups over the JSON.
import data from './catalogue.json' with { type: 'json' };
import type { CharmMeta } from './metadata.js';

export type {
  CharmAction,
  CharmEndpoint,
  CharmMeta,
  CharmOption,
  EndpointRole,
  OptionType,
} from './metadata.js';

export interface CatalogueEntry extends CharmMeta {
  /** Commit date of the metadata the entry was made from (the reference tree's provenance). */
  date: string;
}

export interface Catalogue {
  charms: Record<string, Record<string, CatalogueEntry>>;
}

const CATALOGUE = data as Catalogue;
const RISKS = ['stable', 'candidate', 'beta', 'edge'];

/** The charm's metadata at a track (`charmFor('keystone', '2024.1')`); undefined when not catalogued. */
export function charmFor(name: string, track: string): CatalogueEntry | undefined {
  return Object.hasOwn(CATALOGUE.charms, name) ? CATALOGUE.charms[name]![track] : undefined;
}

/** The tracks the catalogue holds for a charm, oldest first; empty for a charm it does not know. */
export function charmTracks(name: string): string[] {
  const tracks = Object.hasOwn(CATALOGUE.charms, name) ? CATALOGUE.charms[name]! : {};
  return Object.keys(tracks).sort((a, b) => tracks[a]!.date.localeCompare(tracks[b]!.date));
}

export function isCatalogued(name: string): boolean {
  return charmTracks(name).length > 0;
}

/** Whether the charm is a subordinate, as its newest catalogued metadata says; undefined when not catalogued. */
export function isSubordinateCharm(name: string): boolean | undefined {
  const newest = charmTracks(name).at(-1);
  return newest === undefined ? undefined : charmFor(name, newest)!.subordinate;
}

/**
 * The track a Charmhub channel names: `2024.1/stable` -> 2024.1, `squid/edge` -> squid. A risk alone
 * (`stable`) or `latest` names no track the catalogue could hold.
 */
export function channelTrack(channel: string | undefined): string | undefined {
  const track = channel?.split('/')[0];
  if (!track || RISKS.includes(track) || track === 'latest') return undefined;
  return track;
}

/**
 * The catalogue's directory for a charm's track on a series: the `-noble` variant where the catalogue has
 * one and the application runs on noble (squid, 8.0, 24.03 and 1.8 were built from other branches for
 * noble; 2024.1 serves both), else the track itself.
 */
export function catalogueTrack(name: string, track: string, series: string | undefined): string {
  const noble = `${track}-noble`;
  return series === 'noble' && charmFor(name, noble) ? noble : track;
}

/**
 * The track to check a charm against when its own track is not catalogued: the newest one whose
 * metadata lists the application's series, else the newest one.
 */
export function fallbackTrack(name: string, series: string | undefined): string | undefined {
  const tracks = charmTracks(name).reverse();
  return tracks.find((t) => series !== undefined && charmFor(name, t)!.series.includes(series)) ?? tracks[0];
}
