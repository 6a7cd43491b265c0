import test from 'ava';
import { bundleChanges, naturalCompare } from '../../src/bundle/changes.js';
import { labBundle } from '../../src/bundle/render.js';
import { renderGoldenLab } from '../../src/bundle/golden.js';
import { parseBundleText } from '../../src/bundle/parse.js';
import { readReference } from './reference.js';

interface ChangesCase {
  test: string;
  bundle: string;
  expected_changes: string[];
}

const { cases } = JSON.parse(readReference('bundle-changes.json')) as { cases: ChangesCase[] };

test('the verbatim cases are all there', (t) => {
  t.is(cases.length, 18);
});

for (const c of cases) {
  test(`Juju's ${c.test}`, (t) => {
    const bundle = parseBundleText(c.bundle, c.test)[0];
    // the ...WithNoParser case runs bundlechanges without a constraint parser, so no architecture is known
    const archFromConstraints = !c.test.endsWith('WithNoParser');
    t.deepEqual(bundleChanges(bundle, { juju: '3', archFromConstraints }), c.expected_changes);
  });
}

test('a placement cycle is refused in Juju words', (t) => {
  const bundle = parseBundleText(
    'applications:\n  keystone: {charm: ch:keystone, num_units: 1, to: [mysql]}\n  mysql: {charm: ch:mysql, num_units: 1, to: [keystone]}\n',
    'b',
  )[0];
  t.throws(() => bundleChanges(bundle, { juju: '3' }), {
    message: 'cycle in placement directives for: keystone, mysql',
  });
});

test('the modern lab: every application, relation and unit, with Charmhub bases and channels', (t) => {
  const changes = bundleChanges(labBundle(renderGoldenLab('modern')), { juju: '3' });
  t.is(
    changes[0],
    'upload charm mysql-router from charm-hub for base ubuntu@24.04/stable from channel 8.0/stable',
  );
  t.true(
    changes.includes('deploy application keystone from charm-hub on ubuntu@24.04/stable with 2024.1/stable'),
  );
  t.true(
    changes.includes(
      'deploy application keystone-mysql-router from charm-hub on ubuntu@24.04/stable with 8.0/stable using mysql-router',
    ),
  );
  t.true(
    changes.includes(
      'expose all endpoints of openstack-dashboard and allow access from CIDRs 0.0.0.0/0 and ::/0',
    ),
  );
  t.true(changes.includes('add relation keystone:shared-db - keystone-mysql-router:shared-db'));
  t.is(
    changes.filter((c) => c.startsWith('upload charm mysql-router')).length,
    1,
    'one upload serves every router',
  );
  t.is(
    changes.filter((c) => c.startsWith('add unit ')).length,
    // ceph and cinder are off by default on this host (no OSD devices named)
    1 + 1 + 3 + 1 + 1 + 1 + 1 + 3 + 1 + 1 + 1,
  );
  t.is(changes.at(-1), 'add unit vault/0 to new machine 14');
});

test('the 2016 tutorial under Juju 2.9: charm-store charms for the bundle series, in 2.9 words', (t) => {
  const changes = bundleChanges(labBundle(renderGoldenLab('tutorial-2016')), { juju: '2.9' });
  t.is(changes[0], 'upload charm ceph-mon from charm-store for series xenial');
  t.is(changes[1], 'deploy application ceph-mon from charm-store on xenial');
  t.true(changes.includes('deploy application mysql from charm-store on xenial using percona-cluster'));
  t.true(changes.includes('add relation nova-compute:lxd - lxd:lxd'));
  t.false(
    changes.some((c) => c.startsWith('add unit lxd/')),
    'a subordinate has no units of its own',
  );
});

test('natural order puts 2 before 10, as Juju sorts names', (t) => {
  t.deepEqual(['app10', 'app2', 'app1', 'b', 'a'].sort(naturalCompare), ['a', 'app1', 'app2', 'app10', 'b']);
});

test("Juju 2.9's own wording for charm-store charms (its changes_test TestAppsWithSeriesAndArchConstraints)", (t) => {
  const bundle = parseBundleText(
    [
      'applications:',
      '  django-1: {charm: cs:django-4, constraints: arch=amd64 cpu-cores=4 cpu-power=42, series: bionic}',
      '  django-2: {charm: cs:django-4, constraints: arch=s390x cpu-cores=4 cpu-power=42, series: bionic}',
      '  django-3: {charm: cs:django-4, constraints: arch=s390x cpu-cores=4 cpu-power=42, series: focal}',
      '',
    ].join('\n'),
    'b',
  )[0];
  t.deepEqual(bundleChanges(bundle, { juju: '2.9' }), [
    'upload charm django from charm-store for series bionic with architecture=amd64',
    'deploy application django-1 from charm-store on bionic using django',
    'upload charm django from charm-store for series bionic with architecture=s390x',
    'deploy application django-2 from charm-store on bionic using django',
    'upload charm django from charm-store for series focal with architecture=s390x',
    'deploy application django-3 from charm-store on focal using django',
  ]);
});
