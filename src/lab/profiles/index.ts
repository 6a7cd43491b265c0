// The lab profiles: one table per profile (its own file); everything else (the CLI's --profile
// choices, the default profile, the schema's enum) is derived from this list.
import { MODERN } from './modern.js';
import { NOVALXD_FINAL } from './novalxd-final.js';
import { TUTORIAL_2016 } from './tutorial-2016.js';
import type { ProfileFacts, ReleaseChannels } from './types.js';

export {
  COMPONENT_NAMES,
  type CharmTracks,
  type ComponentName,
  type HostBudget,
  type ReleaseChannels,
} from './types.js';

export const PROFILE_NAMES = [TUTORIAL_2016.name, NOVALXD_FINAL.name, MODERN.name] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export type { ProfileFacts };

/** The profile a lab gets when nobody names one: the 2016 tutorial this project reproduces. */
export const DEFAULT_PROFILE: ProfileName = TUTORIAL_2016.name;

export const PROFILES: Readonly<Record<ProfileName, ProfileFacts<ProfileName>>> = {
  'tutorial-2016': TUTORIAL_2016,
  'novalxd-final': NOVALXD_FINAL,
  modern: MODERN,
};

/** The Charmhub channels of a profile for a series and release; undefined where it has none. */
export function releaseChannels(
  facts: ProfileFacts,
  series: string,
  release: string,
): ReleaseChannels | undefined {
  return facts.channels?.[series]?.[release];
}

export function isProfileName(value: unknown): value is ProfileName {
  return typeof value === 'string' && (PROFILE_NAMES as readonly string[]).includes(value);
}
