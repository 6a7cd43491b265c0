import test from 'ava';
import fc from 'fast-check';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isMap, type PlainMap } from '../../src/bundle/merge.js';
import { parseBundleText } from '../../src/bundle/parse.js';
import { labBundle, renderLab, renderTemplate, writeRenderedLab } from '../../src/bundle/render.js';
import { validateBundle } from '../../src/bundle/validate.js';
import { defaultSpec } from '../../src/lab/defaults.js';
import { buildSpec } from '../../src/lab/validate.js';
import { PROFILES } from '../../src/lab/profiles/index.js';
import { referenceBundle } from './reference.js';

const PASSWORD = 'openstack';

function applications(bundle: PlainMap): PlainMap {
  return (bundle.applications ?? bundle.services) as PlainMap;
}

/** Relations as a set of sorted endpoint pairs. */
function relationSet(bundle: PlainMap): Set<string> {
  return new Set((bundle.relations as string[][]).map((pair) => [...pair].sort().join(' <-> ')));
}

/** What "equal in meaning" compares: charm, units, options, expose, annotations of each application. */
function meaning(bundle: PlainMap) {
  const apps = applications(bundle);
  return Object.fromEntries(
    Object.entries(apps)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, app]) => {
        const body = app as PlainMap;
        return [
          name,
          {
            charm: body.charm,
            units: body.num_units ?? 0,
            options: body.options ?? {},
            expose: body.expose === true,
            annotations: body.annotations ?? {},
          },
        ];
      }),
  );
}

for (const [profile, reference] of [
  ['tutorial-2016', 'spell-2016-10-13.yaml'],
  ['novalxd-final', 'spell-2019-05-13.yaml'],
] as const) {
  test(`${profile} with default answers is the reference bundle ${reference} in meaning`, (t) => {
    const rendered = renderLab(defaultSpec(profile), { adminPassword: PASSWORD });
    t.deepEqual(rendered.overlays, [], 'default answers need no overlay');
    const ours = parseBundleText(rendered.bundle, 'bundle.yaml')[0]!;
    const theirs = referenceBundle(reference);
    t.is(ours.series, theirs.series);
    t.deepEqual(meaning(ours), meaning(theirs));
    t.deepEqual(relationSet(ours), relationSet(theirs));
  });
}

test('tutorial-2016 has the 15 applications and 28 relations of the 2016 spell', (t) => {
  const ours = parseBundleText(
    renderLab(defaultSpec('tutorial-2016'), { adminPassword: PASSWORD }).bundle,
    'b',
  )[0]!;
  t.is(Object.keys(applications(ours)).length, 15);
  t.is(relationSet(ours).size, 28);
});

test('the admin password takes the lab password and a hostile one round-trips exactly', (t) => {
  for (const password of [
    'a: b # c',
    '*alias',
    'it\'s "quoted"',
    'line1\nline2',
    '- dash',
    '{x: 1}',
    '  spaced  ',
    '%tag',
    'yes',
  ]) {
    for (const profile of ['tutorial-2016', 'novalxd-final', 'modern'] as const) {
      const rendered = renderLab(defaultSpec(profile), { adminPassword: password });
      const bundle = parse(rendered.bundle) as PlainMap;
      t.is(
        (applications(bundle).keystone as PlainMap & { options: PlainMap }).options['admin-password'],
        password,
      );
      const spell = parse(rendered.spell.files['bundle.yaml']!) as PlainMap;
      t.is(
        (applications(spell).keystone as PlainMap & { options: PlainMap }).options['admin-password'],
        password,
      );
    }
  }
});

test('any password of at least 8 characters round-trips through the template (property)', (t) => {
  fc.assert(
    fc.property(fc.string({ minLength: 8, maxLength: 40, unit: 'binary' }), (password) => {
      const rendered = renderLab(defaultSpec('modern'), { adminPassword: password });
      const keystone = applications(parse(rendered.bundle) as PlainMap).keystone as { options: PlainMap };
      return keystone.options['admin-password'] === password;
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('every profile renders a bundle its Juju flavour accepts, alone and with every overlay', (t) => {
  for (const profile of ['tutorial-2016', 'novalxd-final', 'modern'] as const) {
    const spec = defaultSpec(profile);
    for (const variant of ['default', 'everything off, scaled'] as const) {
      if (variant !== 'default') {
        for (const component of Object.keys(spec.components) as (keyof typeof spec.components)[])
          spec.components[component] = false;
        spec.sizing.computeUnits = 3;
        spec.sizing.osdCount = 4;
      }
      const rendered = renderLab(spec, { adminPassword: PASSWORD });
      const result = validateBundle(
        {
          base: parseBundleText(rendered.bundle, 'bundle.yaml')[0],
          overlays: rendered.overlays.map((o) => parseBundleText(o.text, o.name)[0]),
        },
        { juju: PROFILES[profile].juju, charms: { tracks: PROFILES[profile].charmTracks } },
      );
      t.deepEqual(result, { valid: true, errors: [], warnings: [], unchecked: [] }, `${profile} ${variant}`);
    }
  }
});

test('overlays switch components off (their relations go too) and scale compute and OSDs', (t) => {
  const spec = defaultSpec('novalxd-final');
  spec.components.ceph = false;
  spec.components.radosgw = false;
  spec.components.cinder = false;
  spec.components.dashboard = false;
  spec.sizing.computeUnits = 3;
  const rendered = renderLab(spec, { adminPassword: PASSWORD });
  t.deepEqual(
    rendered.overlays.map((o) => o.name),
    ['ceph-off', 'radosgw-off', 'dashboard-off', 'cinder-off', 'units'],
  );
  const merged = labBundle(rendered);
  const names = Object.keys(applications(merged));
  for (const gone of [
    'ceph-mon',
    'ceph-osd',
    'ceph-radosgw',
    'cinder',
    'cinder-ceph',
    'openstack-dashboard',
  ]) {
    t.false(names.includes(gone), gone);
  }
  t.false(JSON.stringify(merged.relations).includes('ceph'));
  t.is((applications(merged)['nova-compute'] as PlainMap).num_units, 3);
  t.is(rendered.spell.files['bundle.yaml']!.includes('ceph-mon'), false, 'the spell holds the merged bundle');

  const osd = defaultSpec('modern');
  osd.target = { ...osd.target, kind: 'maas', cloud: 'maas-lab' };
  osd.components.ceph = true;
  osd.sizing.osdCount = 5;
  const scaled = labBundle(renderLab(osd, { adminPassword: PASSWORD }));
  t.is((applications(scaled)['ceph-osd'] as PlainMap).num_units, 5);
  t.is(((applications(scaled)['ceph-mon'] as PlainMap).options as PlainMap)['expected-osd-count'], 5);
});

test('modern: Charmhub channels of the release, base instead of series, OVN with vault, mysql routers, qemu or kvm', (t) => {
  const spec = defaultSpec('modern');
  const qemu = parseBundleText(renderLab(spec, { adminPassword: PASSWORD }).bundle, 'b')[0]!;
  t.is(qemu['default-base'], 'ubuntu@24.04');
  t.false('series' in qemu);
  const apps = applications(qemu) as Record<string, PlainMap & { options?: PlainMap }>;
  t.is(apps.keystone!.channel, '2024.1/stable');
  t.is(apps['ceph-mon']!.channel, 'squid/stable');
  t.is(apps['rabbitmq-server']!.channel, '3.12/stable');
  t.is(apps.keystone!.options!['openstack-origin'], 'distro');
  t.is(apps['ovn-central']!.channel, '24.03/stable');
  t.is(apps['mysql-innodb-cluster']!.num_units, 3);
  t.truthy(apps.vault);
  t.true(
    Object.values(apps).every((app) => !String(app.charm).includes(':')),
    'no cs: charm',
  );
  t.is(Object.keys(apps).filter((name) => name.endsWith('-mysql-router')).length, 8);
  t.is(apps['nova-compute']!.options!['virt-type'], 'qemu');
  const kvm = parseBundleText(renderLab(spec, { adminPassword: PASSWORD, hasKvm: true }).bundle, 'b')[0]!;
  t.is(((applications(kvm)['nova-compute'] as PlainMap).options as PlainMap)['virt-type'], 'kvm');

  spec.series = 'jammy';
  const caracal = applications(parseBundleText(renderLab(spec, { adminPassword: PASSWORD }).bundle, 'b')[0]!);
  t.is(((caracal.keystone as PlainMap).options as PlainMap)['openstack-origin'], 'cloud:jammy-caracal');
  t.is((caracal['rabbitmq-server'] as PlainMap).channel, '3.9/stable');
  t.is((caracal['ceph-mon'] as PlainMap).channel, 'squid/stable');

  spec.openstackRelease = '2023.1';
  const antelope = applications(
    parseBundleText(renderLab(spec, { adminPassword: PASSWORD }).bundle, 'b')[0]!,
  );
  t.is((antelope.keystone as PlainMap).channel, '2023.1/stable');
  t.is(((antelope.keystone as PlainMap).options as PlainMap)['openstack-origin'], 'cloud:jammy-antelope');
});

test('the LXD profile: juju-<model>, privileged, nesting, modules, devices, bridge, MTU; /dev/kvm only for modern with kvm', (t) => {
  const spec = defaultSpec('tutorial-2016');
  spec.model = 'lab';
  spec.lxd.mtu = 9000;
  spec.lxd.bridge = 'br-lab';
  const profile = parse(renderLab(spec, { adminPassword: PASSWORD, hasKvm: true }).lxdProfile) as {
    name: string;
    config: PlainMap;
    devices: Record<string, PlainMap>;
  };
  t.is(profile.name, 'juju-lab');
  t.is(profile.config['security.privileged'], 'true');
  t.is(profile.config['security.nesting'], 'true');
  t.is(profile.config['linux.kernel_modules'], 'openvswitch,nbd,ip_tables,ip6_tables,netlink_diag');
  t.deepEqual(profile.devices.eth0, {
    mtu: '9000',
    name: 'eth0',
    nictype: 'bridged',
    parent: 'br-lab',
    type: 'nic',
  });
  t.is(profile.devices.eth1!.name, 'eth1');
  t.deepEqual(profile.devices.mem, { path: '/dev/mem', type: 'unix-char' });
  t.deepEqual(profile.devices.tun, { path: '/dev/net/tun', type: 'unix-char' });
  t.is(profile.devices.root!.pool, 'default');
  t.false('kvm' in profile.devices, 'the tutorial ran nova-lxd, no kvm');

  const modern = parse(
    renderLab(defaultSpec('modern'), { adminPassword: PASSWORD, hasKvm: true }).lxdProfile,
  ) as {
    devices: PlainMap;
  };
  t.deepEqual(modern.devices.kvm, { path: '/dev/kvm', type: 'unix-char' });
  const noKvm = parse(renderLab(defaultSpec('modern'), { adminPassword: PASSWORD }).lxdProfile) as {
    devices: PlainMap;
  };
  t.false('kvm' in noKvm.devices);
});

test('the Conjurefile names the local spell, cloud, controller, model and the proxies', (t) => {
  const spec = defaultSpec('tutorial-2016');
  spec.proxy = { http: 'http://proxy:3128', noProxy: 'localhost,10.0.0.0/8' };
  const rendered = renderLab(spec, { adminPassword: 'conjurefile-secret' });
  t.deepEqual(parse(rendered.conjurefile), {
    spell: './spell',
    cloud: 'localhost',
    controller: 'lxdstack',
    model: 'openstack',
    'http-proxy': 'http://proxy:3128',
    'apt-http-proxy': 'http://proxy:3128',
    'no-proxy': 'localhost,10.0.0.0/8',
  });
  t.false(rendered.conjurefile.includes('conjurefile-secret'));
  t.deepEqual(Object.keys(rendered.spell.files).sort(), [
    'bundle.yaml',
    'metadata.yaml',
    'steps/lxd-profile.yaml',
    'steps/step-02_glance.yaml',
    'steps/step-03_keypair.yaml',
    'steps/step-04_neutron.yaml',
    'steps/step-05_horizon.yaml',
  ]);
  const keypair = parse(rendered.spell.files['steps/step-03_keypair.yaml']!) as {
    'additional-input': PlainMap[];
  };
  t.is(keypair['additional-input'][0]!.default, spec.sshPublicKey);
});

test('a component the profile cannot carry is refused with exit 2', (t) => {
  const spec = defaultSpec('tutorial-2016');
  spec.components.cinder = true;
  const error = t.throws(() => renderLab(spec, { adminPassword: PASSWORD }));
  t.regex(error.message, /components\.cinder: the tutorial-2016 profile has no cinder/);
  t.is((error as { exitCode?: number }).exitCode, 2);
});

test('a template error names the template', (t) => {
  const error = t.throws(() => renderTemplate('lxd/profile.yaml.hbs', { name: 'x' }));
  t.regex(error.message, /^template lxd\/profile\.yaml\.hbs: /);
  const missing = t.throws(() => renderTemplate('bundles/no-such-profile.yaml.hbs', {}));
  t.regex(missing.message, /template bundles\/no-such-profile\.yaml\.hbs cannot be read/);
});

test('writeRenderedLab writes every file atomically, secrets 0600, and drops overlays that no longer apply', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'render-'));
  const spec = defaultSpec('modern');
  spec.components.dashboard = false;
  const first = await writeRenderedLab(dir, renderLab(spec, { adminPassword: 'secret-password' }));
  t.true(first.includes(join(dir, 'overlays', 'dashboard-off.yaml')));
  t.is((await stat(join(dir, 'bundle.yaml'))).mode & 0o777, 0o600);
  t.is((await stat(join(dir, 'spell', 'bundle.yaml'))).mode & 0o777, 0o600);
  t.is((await stat(join(dir, 'lxd-profile.yaml'))).mode & 0o777, 0o644);
  for (const path of first) {
    const text = await readFile(path, 'utf8');
    const secretFile = path.endsWith('bundle.yaml');
    t.is(text.includes('secret-password'), secretFile, path);
  }
  spec.components.dashboard = true;
  const second = await writeRenderedLab(dir, renderLab(spec, { adminPassword: 'secret-password' }));
  t.false(second.some((p) => p.endsWith('dashboard-off.yaml')));
  await t.throwsAsync(stat(join(dir, 'overlays', 'dashboard-off.yaml')));
  t.true(isMap(parse(await readFile(join(dir, 'overlays', 'cinder-off.yaml'), 'utf8'))));
});

test('modern ceph on this host: the devices reach one ceph-osd through the profile, replicas go per OSD', (t) => {
  const spec = buildSpec(
    { profile: 'modern', storage: { osdDevices: ['/dev/sdb', '/dev/sdc'] } },
    { source: 'lab.yaml' },
  );
  const rendered = renderLab(spec, { adminPassword: PASSWORD });
  const merged = applications(labBundle(rendered)) as Record<string, PlainMap & { options?: PlainMap }>;
  t.is(merged['ceph-osd']!.num_units, 1);
  t.is(merged['ceph-osd']!.options!['osd-devices'], '/dev/sdb /dev/sdc');
  t.is(merged['ceph-mon']!.options!['expected-osd-count'], 2);
  t.is(merged['ceph-mon']!.options!['config-flags'], "{'global': {'osd crush chooseleaf type': 0}}");
  const profile = parseBundleText(rendered.lxdProfile, 'p')[0] as { devices: Record<string, PlainMap> };
  t.deepEqual(profile.devices.osd0, { path: '/dev/sdb', type: 'unix-block' });
  t.deepEqual(profile.devices.osd1, { path: '/dev/sdc', type: 'unix-block' });
  t.is(profile.devices.eth1!.parent, 'lxdstack-ext');
  const tutorial = parseBundleText(
    renderLab(defaultSpec('tutorial-2016'), { adminPassword: PASSWORD }).lxdProfile,
    'p',
  )[0] as { devices: Record<string, PlainMap> };
  t.is(tutorial.devices.eth1!.parent, 'conjureup0', "the spell's own external bridge");
});

test('modern vault: the lab default unseals itself and makes its CA; manual leaves that to deploy', (t) => {
  const spec = defaultSpec('modern');
  const vaultOf = (s: typeof spec) =>
    (
      applications(parseBundleText(renderLab(s, { adminPassword: PASSWORD }).bundle, 'b')[0]!)
        .vault as PlainMap
    ).options as PlainMap | undefined;
  t.deepEqual(vaultOf(spec), { 'totally-unsecure-auto-unlock': true, 'auto-generate-root-ca-cert': true });
  spec.vault.unlock = 'manual';
  t.is(vaultOf(spec), undefined);
});
