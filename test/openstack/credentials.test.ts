import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFromCloudsYaml, credentialsFromEnv } from '../../src/openstack/credentials.js';
import { InputError } from '../../src/util/errors.js';

test('OS_* variables give credentials, as a sourced novarc sets them', (t) => {
  const c = credentialsFromEnv({
    OS_AUTH_URL: 'https://ks:5000/v3',
    OS_USERNAME: 'admin',
    OS_PASSWORD: 'pw-123456',
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'admin_domain',
    OS_PROJECT_DOMAIN_NAME: 'admin_domain',
    OS_REGION_NAME: 'RegionTwo',
    OS_INTERFACE: 'internal',
    OS_CACERT: '/etc/ca.pem',
  });
  t.deepEqual(c, {
    authUrl: 'https://ks:5000/v3',
    username: 'admin',
    password: 'pw-123456',
    projectName: 'admin',
    userDomainName: 'admin_domain',
    projectDomainName: 'admin_domain',
    regionName: 'RegionTwo',
    interface: 'internal',
    caFile: '/etc/ca.pem',
  });
  t.is(
    credentialsFromEnv({
      OS_AUTH_URL: 'u',
      OS_USERNAME: 'a',
      OS_PASSWORD: 'p',
      OS_TENANT_NAME: 't',
      OS_ENDPOINT_TYPE: 'publicURL',
    }).interface,
    'public',
  );
});

test('missing OS_* variables are named, without echoing the password', (t) => {
  const error = t.throws(() => credentialsFromEnv({ OS_PASSWORD: 'secret-pw', OS_USERNAME: 'admin' }), {
    instanceOf: InputError,
  });
  t.regex(error.message, /OS_AUTH_URL, OS_PROJECT_NAME not set/);
  t.notRegex(error.message, /secret-pw/);
});

test('clouds.yaml is found through OS_CLIENT_CONFIG_FILE and merged with secure.yaml', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-clouds-'));
  await writeFile(
    join(dir, 'clouds.yaml'),
    'clouds:\n  lab:\n    auth:\n      auth_url: http://127.0.0.1:5000/v3\n      username: admin\n      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne\n    interface: public\n',
  );
  await writeFile(join(dir, 'secure.yaml'), "clouds:\n  lab:\n    auth:\n      password: 'a: b # c'\n");
  const c = await credentialsFromCloudsYaml(
    'lab',
    { OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml'), HOME: dir },
    dir,
  );
  t.is(c.password, 'a: b # c');
  t.is(c.regionName, 'RegionOne');
  const error = await t.throwsAsync(
    credentialsFromCloudsYaml('other', { OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml'), HOME: dir }, dir),
    { instanceOf: InputError },
  );
  t.regex(error.message, /no cloud named "other" \(it has: lab\)/);
});

test('the current directory’s clouds.yaml comes before the home one; none at all says where it looked', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-clouds-'));
  const error = await t.throwsAsync(credentialsFromCloudsYaml('lab', { HOME: join(dir, 'home') }, dir), {
    instanceOf: InputError,
  });
  t.true(error.message.includes(join(dir, 'clouds.yaml')));
  await writeFile(
    join(dir, 'clouds.yaml'),
    'clouds:\n  lab:\n    auth: {auth_url: http://x/v3, username: u, password: p, project_name: pr}\n',
  );
  t.is((await credentialsFromCloudsYaml('lab', { HOME: join(dir, 'home') }, dir)).authUrl, 'http://x/v3');
});
