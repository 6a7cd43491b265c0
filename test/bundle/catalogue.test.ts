import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CATALOGUE_PATH,
  DEFAULT_REFERENCE_DIR,
  catalogueText,
  generateCatalogue,
} from '../../scripts/gen-charm-catalogue.js';
import {
  catalogueTrack,
  channelTrack,
  charmFor,
  charmTracks,
  fallbackTrack,
} from '../../src/bundle/charms/catalogue.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/charms/', import.meta.url));

test('the generator turns a charm tree into the compact catalogue: endpoints, subordinate, bindings, options, actions', async (t) => {
  const catalogue = await generateCatalogue(FIXTURE);
  t.deepEqual(catalogue, {
    charms: {
      alpha: {
        '1.0': {
          actions: {
            backup: { params: { target: 'string' }, required: ['target'] },
            pause: { params: {}, required: [] },
          },
          date: '2024-01-02T00:00:00+00:00',
          endpoints: {
            cluster: { interface: 'alpha-ha', role: 'peer' },
            db: { interface: 'mysql-shared', role: 'requirer' },
            logs: { interface: 'syslog', role: 'requirer', scope: 'container' },
            website: { interface: 'http', role: 'provider' },
          },
          extraBindings: ['public'],
          name: 'alpha',
          // YAML 1.1 as Juju reads charm files: `no` is false; no type means string
          options: {
            debug: { default: false, type: 'boolean' },
            name: { type: 'string' },
            ratio: { type: 'float' },
            workers: { default: 4, type: 'int' },
          },
          series: ['jammy'],
          subordinate: false,
        },
        '1.0-noble': {
          actions: {},
          date: '2024-06-01T00:00:00+00:00',
          endpoints: { website: { interface: 'http', role: 'provider' } },
          extraBindings: [],
          name: 'alpha',
          options: {},
          series: ['noble'],
          subordinate: false,
        },
      },
      beta: {
        '2.0': {
          actions: {},
          date: '2016-10-26T00:00:00+00:00',
          endpoints: { 'juju-info': { interface: 'juju-info', role: 'requirer', scope: 'container' } },
          extraBindings: [],
          name: 'beta',
          options: {},
          series: [],
          subordinate: true,
        },
      },
    },
  });
  // deterministic: the same tree gives the same bytes
  t.is(await catalogueText(catalogue), await catalogueText(await generateCatalogue(FIXTURE)));
});

// The team's reference tree is not part of a fresh clone: where it is, the shipped file must match it.
(existsSync(DEFAULT_REFERENCE_DIR) ? test : test.skip)(
  'the shipped catalogue is what `npm run charms` generates from the reference tree',
  async (t) => {
    const expected = await catalogueText(await generateCatalogue(DEFAULT_REFERENCE_DIR));
    t.true(readFileSync(CATALOGUE_PATH, 'utf8') === expected, 'run `npm run charms` and commit the result');
  },
);

test('charmFor looks a charm up by name and track; the tracks come oldest first', (t) => {
  const keystone = charmFor('keystone', '2024.1')!;
  t.deepEqual(keystone.endpoints['identity-service'], { interface: 'keystone', role: 'provider' });
  t.deepEqual(keystone.endpoints['shared-db'], { interface: 'mysql-shared', role: 'requirer' });
  t.true(keystone.extraBindings.includes('public'));
  t.is(keystone.options['admin-password']?.type, 'string');
  t.true(charmFor('ntp', '16.10')!.subordinate);
  t.is(charmFor('keystone', 'yoga'), undefined);
  t.is(charmFor('no-such-charm', '2024.1'), undefined);
  t.is(charmFor('constructor', '2024.1'), undefined);
  t.deepEqual(charmTracks('keystone'), ['16.10', '18.02', '2024.1']);
  t.deepEqual(charmTracks('no-such-charm'), []);
  t.deepEqual(Object.keys(charmFor('vault', '1.8')!.actions['authorize-charm']!.params), ['token']);
});

test('a channel names its track; noble units use the -noble variant where the catalogue has one', (t) => {
  t.is(channelTrack('2024.1/stable'), '2024.1');
  t.is(channelTrack('squid/edge'), 'squid');
  t.is(channelTrack('stable'), undefined);
  t.is(channelTrack('latest/edge'), undefined);
  t.is(channelTrack(undefined), undefined);
  t.is(catalogueTrack('ceph-osd', 'squid', 'noble'), 'squid-noble');
  t.is(catalogueTrack('ceph-osd', 'squid', 'jammy'), 'squid');
  t.is(catalogueTrack('keystone', '2024.1', 'noble'), '2024.1');
  t.is(catalogueTrack('mysql-router', '8.0', 'noble'), '8.0-noble');
  // a track the catalogue lacks: the newest one for the series
  t.is(
    fallbackTrack('ceph-osd', 'jammy'),
    'reef',
    "reef's metadata is the newest commit of the two jammy tracks",
  );
  t.is(fallbackTrack('keystone', 'xenial'), '18.02');
  t.is(fallbackTrack('keystone', undefined), '2024.1');
});
