import test from 'ava';
import { describeApiError, errorBodyMessage } from '../../src/openstack/errors.js';

test('the message is found in each service’s error shape', (t) => {
  t.is(
    errorBodyMessage('{"itemNotFound": {"code": 404, "message": "Flavor m9 could not be found."}}'),
    'Flavor m9 could not be found.',
  );
  t.is(
    errorBodyMessage(
      '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}',
    ),
    'The request you have made requires authentication.',
  );
  t.is(
    errorBodyMessage(
      '{"NeutronError": {"type": "NetworkNotFound", "message": "Network abc could not be found.", "detail": ""}}',
    ),
    'Network abc could not be found.',
  );
  t.is(
    errorBodyMessage(
      '{"errors": [{"status": 409, "title": "Conflict", "detail": "resource provider generation conflict"}]}',
    ),
    'resource provider generation conflict',
  );
  t.is(
    errorBodyMessage(
      '<html>\n <head>\n  <title>409 Conflict</title>\n </head>\n <body>\n  <h1>409 Conflict</h1>\n  Image name already used.<br /><br />\n </body>\n</html>',
    ),
    '409 Conflict Image name already used.',
  );
  t.is(errorBodyMessage(''), '');
});

test('an API error becomes one sentence with what to do', (t) => {
  const sentence = describeApiError(
    'compute',
    'GET',
    '/v2.1/flavors/m9',
    404,
    '{"itemNotFound": {"message": "Flavor m9 could not be found."}}',
  );
  t.is(
    sentence,
    'compute GET /v2.1/flavors/m9 failed with HTTP 404: Flavor m9 could not be found; it does not exist (any more).',
  );
  t.regex(
    describeApiError(
      'compute',
      'POST',
      '/v2.1/servers',
      403,
      '{"forbidden": {"code": 403, "message": "Quota exceeded for ram: Requested 9, but already used 0 of 5 ram"}}',
    ),
    /Quota exceeded for ram: Requested 9, but already used 0 of 5 ram; a quota was reached; raise the quota or free resources\.$/,
  );
  t.regex(
    describeApiError('image', 'PUT', '/v2/images/x/file', 502, ''),
    /HTTP 502; the service failed; read its log\.$/,
  );
});
