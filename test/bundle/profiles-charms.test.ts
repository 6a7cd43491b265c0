// Every profile's rendered bundle, with every overlay lxdstack can render for it, passes Juju's checks with
// its charms' metadata under the profile's Juju flavour; and every relation is checked against the charm
// catalogue directly, so a template change that breaks a relation fails here whatever the validator says.
import test from 'ava';
import { resolveApplicationCharm, type AppCharm } from '../../src/bundle/charms/resolve.js';
import { isMap, type PlainMap } from '../../src/bundle/merge.js';
import { parseBundleText } from '../../src/bundle/parse.js';
import { labBundle, renderLab, type RenderedLab } from '../../src/bundle/render.js';
import { validateBundle } from '../../src/bundle/validate.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../src/lab/profiles/index.js';
import type { LabSpec } from '../../src/lab/schema.js';
import { buildSpec } from '../../src/lab/validate.js';

const PASSWORD = 'openstack';

/** The labs to render for a profile: its defaults, each component off, all off and scaled, a MAAS layout. */
function variants(profile: ProfileName): [string, LabSpec][] {
  const labs: [string, LabSpec][] = [['default', defaultSpec(profile)]];
  const components = Object.keys(defaultSpec(profile).components) as (keyof LabSpec['components'])[];
  for (const component of components) {
    const spec = defaultSpec(profile);
    spec.components[component] = false;
    labs.push([`${component} off`, spec]);
  }
  const bare = defaultSpec(profile);
  for (const component of components) bare.components[component] = false;
  bare.sizing.computeUnits = 3;
  bare.sizing.osdCount = 4;
  labs.push(['everything off, scaled', bare]);
  labs.push([
    'maas target, scaled',
    buildSpec(
      { profile, target: { kind: 'maas', cloud: 'maas-lab' }, sizing: { computeUnits: 2, osdCount: 4 } },
      { source: 'x' },
    ),
  ]);
  return labs;
}

function documents(rendered: RenderedLab): { base: PlainMap; overlays: PlainMap[] } {
  return {
    base: parseBundleText(rendered.bundle, 'bundle.yaml')[0]!,
    overlays: rendered.overlays.map((o) => parseBundleText(o.text, o.name)[0]!),
  };
}

/** Why a named relation does not fit the two charms' catalogue metadata, or null when it does. */
function relationProblem(relation: unknown, bundle: PlainMap, profile: ProfileName): string | null {
  const pair = Array.isArray(relation) ? relation.map(String) : [];
  const sides = pair.map((text) => {
    const [application, endpoint] = text.split(':');
    const app = (bundle.applications as PlainMap)[application!];
    if (!endpoint || !isMap(app)) return `${text} does not name an application's endpoint`;
    const source = { tracks: PROFILES[profile].charmTracks };
    const charm: AppCharm = resolveApplicationCharm(app, bundle, PROFILES[profile].juju, source, '.');
    if (charm.kind !== 'checked' || charm.fallback)
      return `${text}: its charm's track is not in the catalogue`;
    const declared = charm.meta.endpoints[endpoint];
    if (!declared) return `${text}: charm ${charm.meta.name} has no endpoint ${endpoint}`;
    return declared;
  });
  const problem = sides.find((side) => typeof side === 'string');
  if (problem !== undefined) return problem as string;
  const [a, b] = sides as Exclude<(typeof sides)[number], string>[];
  if (pair.length !== 2 || !a || !b) return `${pair.join(' ')} is not a pair`;
  const roles = [a.role, b.role].sort().join('/');
  if (roles !== 'provider/requirer') return `${pair.join(' ')} relates ${roles}`;
  if (a.interface !== b.interface) return `${pair.join(' ')}: interface ${a.interface} vs ${b.interface}`;
  return null;
}

for (const profile of PROFILE_NAMES) {
  for (const [variant, spec] of variants(profile)) {
    test(`${profile}, ${variant}: valid with its charms' metadata under Juju ${PROFILES[profile].juju}`, (t) => {
      const rendered = renderLab(spec, { adminPassword: PASSWORD });
      const { juju, charmTracks } = PROFILES[profile];
      const result = validateBundle(documents(rendered), { juju, charms: { tracks: charmTracks } });
      t.deepEqual(result, { valid: true, errors: [], warnings: [], unchecked: [] });
      const merged = labBundle(rendered);
      const relations = Array.isArray(merged.relations) ? merged.relations : [];
      t.true(relations.length > 0);
      t.deepEqual(
        relations.map((r) => relationProblem(r, merged, profile)).filter((p) => p !== null),
        [],
        'every relation names two endpoints of its charms: a provider and a requirer of one interface',
      );
    });
  }
}

test('the relation check itself catches a wrong endpoint, a wrong role and a wrong interface', (t) => {
  const merged = labBundle(renderLab(defaultSpec('modern'), { adminPassword: PASSWORD }));
  t.regex(
    relationProblem(['keystone:nope', 'glance:identity-service'], merged, 'modern')!,
    /no endpoint nope/,
  );
  t.regex(
    relationProblem(['keystone:identity-service', 'glance:image-service'], merged, 'modern')!,
    /relates provider\/provider/,
  );
  t.regex(
    relationProblem(['glance:amqp', 'keystone:identity-service'], merged, 'modern')!,
    /interface rabbitmq vs keystone/,
  );
});
