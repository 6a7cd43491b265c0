// The checked-in rendering of each profile's default lab (bundles/<profile>/): `npm run bundles` writes it,
// test/bundle/golden.test.ts fails when the templates drift from it.
import { defaultSpec } from '../lab/defaults.js';
import { PROFILE_NAMES, type ProfileName } from '../lab/profiles/index.js';
import { renderLab, type RenderedLab } from './render.js';

/** Never a real secret: the golden files show where the lab's password goes. */
export const GOLDEN_ADMIN_PASSWORD = 'golden-placeholder-password';

export function renderGoldenLab(profile: ProfileName): RenderedLab {
  return renderLab(defaultSpec(profile), { adminPassword: GOLDEN_ADMIN_PASSWORD, hasKvm: false });
}

export const GOLDEN_PROFILES: readonly ProfileName[] = PROFILE_NAMES;
