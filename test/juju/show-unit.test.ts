import test from 'ava';
import { parseShowUnit, publishedRelationData } from '../../src/juju/show-unit.js';
import { JujuError } from '../../src/juju/errors.js';

const SHOWN = JSON.stringify({
  'keystone/0': {
    'relation-info': [
      { endpoint: 'cluster', 'local-unit': { data: { 'private-address': '10.0.0.5' } } },
      {
        endpoint: 'identity-service',
        'local-unit': { data: { service_protocol: 'https', service_port: 5000 } },
      },
    ],
  },
});

test('publishedRelationData reads what the unit publishes at one endpoint, values as text', (t) => {
  const doc = parseShowUnit(SHOWN);
  t.deepEqual(publishedRelationData(doc, 'keystone/0', 'identity-service'), {
    service_protocol: 'https',
    service_port: '5000',
  });
  t.is(publishedRelationData(doc, 'keystone/0', 'shared-db'), undefined);
  t.is(publishedRelationData(doc, 'keystone/1', 'identity-service'), undefined);
});

test('parseShowUnit names juju show-unit when its output is not JSON', (t) => {
  const error = t.throws(() => parseShowUnit('ERROR unit "keystone/9" not found'), { instanceOf: JujuError });
  t.regex(error.message, /show-unit/);
});
