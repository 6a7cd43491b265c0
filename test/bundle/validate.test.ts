import test from 'ava';
import { parseBundleText } from '../../src/bundle/parse.js';
import { validateBundle } from '../../src/bundle/validate.js';
import type { JujuFlavour } from '../../src/juju/syntax.js';
import { readReference, referenceBundleFiles } from './reference.js';

function check(yaml: string, juju: JujuFlavour, overlayYaml: string[] = []) {
  const [base, ...inline] = parseBundleText(yaml, 'bundle.yaml');
  const overlays = [...inline, ...overlayYaml.flatMap((o) => parseBundleText(o, 'overlay.yaml'))];
  return validateBundle({ base, overlays }, { juju });
}

const BOTH: JujuFlavour[] = ['2.9', '3'];

interface Case {
  rule: string;
  yaml: string;
  errors: string[] | Partial<Record<JujuFlavour, string[]>>;
  juju?: JujuFlavour[];
  overlays?: string[];
}

// Each rule of juju-spec.md §2.2-2.8 with Juju's message; `errors` per flavour when they differ.
const cases: Case[] = [
  { rule: 'valid bundle', yaml: 'applications:\n  mysql:\n    charm: mysql\n    num_units: 1\n', errors: [] },
  {
    rule: 'bundle type',
    yaml: 'bundle: vm\napplications:\n  a:\n    charm: ch:mysql\n',
    errors: ['bundle has an invalid type "vm"'],
  },
  {
    rule: 'kubernetes bundles take no machines',
    yaml: 'bundle: kubernetes\napplications:\n  a:\n    charm: ch:mysql\nmachines:\n  "0": {}\n',
    errors: [
      'bundle machines not valid for Kubernetes bundles',
      'machine "0" is not referred to by a placement directive',
    ],
  },
  {
    rule: 'bundle series',
    yaml: 'series: "Bad Series"\napplications:\n  a:\n    charm: ch:mysql\n',
    errors: ['bundle declares an invalid series "Bad Series"'],
  },
  {
    rule: 'default-base (3.x only; 2.9 ignores the field)',
    yaml: 'default-base: ubuntu@22.04/sideways\napplications:\n  a:\n    charm: ch:mysql\n',
    errors: { '3': ['bundle declares an invalid base "ubuntu@22.04/sideways"'], '2.9': [] },
  },
  {
    rule: 'series and base must match',
    yaml: 'series: focal\ndefault-base: ubuntu@22.04\napplications:\n  a:\n    charm: ch:mysql\n    series: jammy\n    base: ubuntu@20.04\n',
    errors: {
      '3': [
        'bundle series "focal" and base "ubuntu@22.04" must match if both supplied',
        'application "a" series "jammy" and base "ubuntu@20.04" must match if both supplied',
      ],
      '2.9': [],
    },
  },
  {
    rule: 'SAAS names and URLs',
    yaml: 'saas:\n  a:\n    url: admin/other.a\n  Bad_Name:\n    url: nonsense\napplications:\n  a:\n    charm: ch:mysql\n',
    errors: [
      'application "a" already exists with SAAS "a" name',
      'invalid SAAS name "Bad_Name" found',
      'invalid offer URL "nonsense" for SAAS Bad_Name',
      'SAAS "a" already exists with application "a" name',
    ],
  },
  {
    rule: 'machine ids, constraints, series, base',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    num_units: 3\n    to: ["05", "1", "2"]\nmachines:\n  "05": {}\n  "1":\n    constraints: bad-wolf\n  "2":\n    series: "bad series"\n    base: ubuntu\n',
    errors: {
      '3': [
        'invalid machine id "05" found in machines',
        'invalid constraints "bad-wolf" in machine "1": malformed constraint "bad-wolf"',
        'invalid series "bad series" for machine "2"',
        'invalid base "ubuntu" for machine "2"',
        'invalid placement syntax "05"',
        'machine "05" is not referred to by a placement directive',
      ],
      '2.9': [
        'invalid machine id "05" found in machines',
        'invalid constraints "bad-wolf" in machine "1": malformed constraint "bad-wolf"',
        'invalid series bad series for machine "2"',
        'invalid placement syntax "05"',
        'machine "05" is not referred to by a placement directive',
      ],
    },
  },
  {
    rule: 'machine series and base must match (3.x)',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    num_units: 1\n    to: ["0"]\nmachines:\n  "0":\n    series: focal\n    base: ubuntu@22.04\n',
    errors: {
      '3': ['machine "0" series "focal" and base "ubuntu@22.04" must match if both supplied'],
      '2.9': [],
    },
  },
  {
    rule: 'at least one application',
    yaml: 'applications: {}\n',
    errors: ['at least one application must be specified'],
  },
  {
    // the base is verified alone before the merge could say "base application has no body": one message
    rule: 'application without a body',
    yaml: 'applications:\n  a:\n  b:\n    charm: ch:mysql\nrelations:\n- [a, b]\n',
    errors: ['bundle application for key "a" is undefined'],
  },
  { rule: 'empty charm', yaml: 'applications:\n  a:\n    charm: ""\n', errors: ['empty charm path'] },
  {
    rule: 'cs: charms are Juju 2.9 only',
    yaml: 'applications:\n  mysql:\n    charm: cs:mysql\n',
    errors: {
      '3': ['invalid charm URL in application "mysql": cannot parse URL "cs:mysql": schema "cs" not valid'],
      '2.9': [],
    },
  },
  {
    rule: 'bad schema and bad charm names',
    yaml: 'applications:\n  a:\n    charm: bogus:precise/mediawiki-10\n  b:\n    charm: 42\n  c:\n    charm: ch:~user/mysql\n',
    errors: {
      '3': [
        'invalid charm URL in application "a": cannot parse URL "bogus:precise/mediawiki-10": schema "bogus" not valid',
        'invalid charm URL in application "b": cannot parse name and/or revision in URL "42": name "42" not valid',
        'invalid charm URL in application "c": charmhub charm or bundle URL with user name: "ch:~user/mysql" not valid',
      ],
      '2.9': [
        'invalid charm URL in application "a": cannot parse URL "bogus:precise/mediawiki-10": schema "bogus" not valid',
        'invalid charm URL in application "b": cannot parse name and/or revision in URL "42": name "42" not valid',
        'invalid charm URL in application "c": charmhub charm or bundle URL with user name: "ch:~user/mysql" not valid',
      ],
    },
  },
  {
    rule: 'revisions',
    yaml: 'applications:\n  a:\n    charm: ch:wordpress-9\n  b:\n    charm: mysql\n    revision: 3\n  c:\n    charm: mysql\n    channel: stable\n    revision: -1\n',
    juju: ['3'],
    errors: [
      'cannot specify revision in "ch:wordpress-9", please use revision',
      'application "b" with a revision requires a channel for future upgrades, please use channel',
      'the revision for application "c" must be zero or greater',
    ],
  },
  {
    rule: 'revisions of Charmhub charms in 2.9 (ch: spelled out, a bare name is cs: there)',
    yaml: 'applications:\n  a:\n    charm: ch:wordpress-9\n  b:\n    charm: ch:mysql\n    revision: 3\n  c:\n    charm: ch:mysql\n    channel: stable\n    revision: -1\n  d:\n    charm: cs:mysql\n    revision: 3\n',
    juju: ['2.9'],
    errors: [
      'cannot specify revision in "ch:wordpress-9", please use revision',
      'application "b" with a revision requires a channel for future upgrades, please use channel',
      'the revision for application "c" must be zero or greater',
    ],
  },
  {
    // verifySaas sees the name among the applications even without a body; verifyApplications skips it
    rule: 'SAAS named like an application without a body: the SAAS side only',
    yaml: 'applications:\n  a: {charm: ch:mysql}\n  b:\nsaas:\n  b: {url: admin/m.b}\n',
    errors: [
      'application "b" already exists with SAAS "b" name',
      'bundle application for key "b" is undefined',
    ],
  },
  {
    rule: 'two revisions of a cs: charm (2.9 only)',
    yaml: 'applications:\n  a:\n    charm: cs:mysql-5\n    revision: 6\n',
    juju: ['2.9'],
    errors: ['application "a" has 2 different revisions specified, please choose 1'],
  },
  {
    rule: 'charm URL series against the application series',
    yaml: 'applications:\n  a:\n    charm: ch:focal/mysql\n    series: jammy\n  b:\n    charm: ch:mysql\n    series: "Jammy!"\n',
    errors: [
      'the charm URL for application "a" has a series which does not match, please remove the series from the URL',
      'application "b" declares an invalid series "Jammy!"',
    ],
  },
  {
    rule: 'application base (3.x)',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    base: plan9@4\n',
    errors: { '3': ['application "a" declares an invalid base "plan9@4"'], '2.9': [] },
  },
  {
    rule: 'constraints',
    yaml: [
      'applications:',
      '  a: {charm: ch:mysql, constraints: "bad-wolf"}',
      '  b: {charm: ch:mysql, constraints: "colour=red"}',
      '  c: {charm: ch:mysql, constraints: "mem=4G mem=8G"}',
      '  d: {charm: ch:mysql, constraints: "arch=vax"}',
      '  e: {charm: ch:mysql, constraints: "container=lxc"}',
      '  f: {charm: ch:mysql, constraints: "cores=-1"}',
      '  g: {charm: ch:mysql, constraints: "root-disk=lots"}',
      '  h: {charm: ch:mysql, constraints: "spaces=Bad_Space"}',
      '  i: {charm: ch:mysql, constraints: "allocate-public-ip=maybe"}',
      '  j: {charm: ch:mysql, constraints: "arch=amd64 cpu-cores=4 cpu-power=42 mem=8G root-disk=40G spaces=db,^dmz zones=a,b"}',
      '',
    ].join('\n'),
    errors: [
      'invalid constraints "bad-wolf" in application "a": malformed constraint "bad-wolf"',
      'invalid constraints "colour=red" in application "b": unknown constraint "colour"',
      'invalid constraints "mem=4G mem=8G" in application "c": bad "mem" constraint: already set',
      'invalid constraints "arch=vax" in application "d": bad "arch" constraint: "vax" not recognized',
      'invalid constraints "container=lxc" in application "e": bad "container" constraint: invalid container type "lxc"',
      'invalid constraints "cores=-1" in application "f": bad "cores" constraint: must be a non-negative integer',
      'invalid constraints "root-disk=lots" in application "g": bad "root-disk" constraint: must be a non-negative float with optional M/G/T/P suffix',
      'invalid constraints "spaces=Bad_Space" in application "h": bad "spaces" constraint: "Bad_Space" is not a valid space name',
      'invalid constraints "allocate-public-ip=maybe" in application "i": bad "allocate-public-ip" constraint: must be \'true\' or \'false\'',
    ],
  },
  {
    rule: 'image-id: unknown in 2.9, refused in a 3.x base bundle, allowed from an overlay',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    constraints: image-id=ubuntu-bf2\n',
    errors: {
      '2.9': ['invalid constraints "image-id=ubuntu-bf2" in application "a": unknown constraint "image-id"'],
      '3': [
        'invalid constraints "image-id=ubuntu-bf2" in application "a": \'image-id\' constraint in a base bundle not supported',
      ],
    },
  },
  {
    rule: 'storage',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    storage:\n      Data: ebs,10G\n      logs: ebs,0\n      cache: a,b\n      tmp: "10G,%%"\n',
    errors: [
      'invalid storage name "Data" in application "a"',
      // Juju names the storage, not its value
      'invalid storage "logs" in application "a": cannot parse count: count must be greater than zero, got "0"',
      'invalid storage "cache" in application "a": pool name is already set to "a", new value "b" not valid',
      'invalid storage "tmp" in application "a": unrecognized storage constraint "%%" not valid',
    ],
  },
  {
    rule: 'devices',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    devices:\n      GPU: nvidia.com/gpu\n      bad-count: "-1,nvidia.com/gpu"\n      bad-attr: "1,nvidia.com/gpu,x"\n      ok: "2,nvidia.com/gpu,gpu=nvidia-tesla-p100"\n',
    errors: [
      'invalid device name "GPU" in application "a"',
      'invalid device "bad-count" in application "a": count must be greater than zero, got "-1"',
      'invalid device "bad-attr" in application "a": device attribute key/value pair has bad format: "x"',
    ],
  },
  {
    rule: 'overlay-only fields in the base bundle',
    yaml: 'applications:\n  apache2:\n    charm: ch:apache2\n    offers:\n      web:\n        endpoints: [website]\n',
    errors: ['applications.apache2.offers can only appear in an overlay section'],
  },
  {
    rule: 'offers and exposed-endpoints from an overlay',
    yaml: 'applications:\n  apache2:\n    charm: ch:apache2\n    expose: true\n',
    overlays: [
      'applications:\n  apache2:\n    offers:\n      Web:\n        endpoints: [Website]\n    exposed-endpoints:\n      website:\n        expose-to-cidrs: [10.0.0.0/33]\n',
    ],
    errors: [
      'invalid offer name "Web" in application "apache2"',
      'invalid endpoint name "Website" for offer "Web" in application "apache2"',
      'exposed-endpoints cannot be specified together with "exposed:true" in application "apache2" as this poses a security risk when deploying bundles to older controllers',
      'invalid CIDR "10.0.0.0/33" for expose to CIDRs field for endpoint "website" in application "apache2"',
    ],
  },
  {
    rule: 'resources',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    resources:\n      data: [1]\n      "": 3\n',
    errors: ['resource revision "a" is not int or string', 'missing resource name on application "a"'],
  },
  {
    rule: 'unit counts',
    yaml: 'applications:\n  mysql:\n    charm: ch:mysql\n    num_units: -1\n',
    errors: ['negative number of units specified on application "mysql"'],
  },
  {
    // normalizeData refuses these while decoding: the first one ends the read, nothing else is verified
    rule: 'scale with num_units is a decode error that stops the read',
    yaml: 'applications:\n  mysql:\n    charm: ch:mysql\n    num_units: -1\n  k:\n    charm: ch:mysql\n    num_units: 2\n    scale: 2\n',
    errors: ['unmarshal document 0: cannot specify both scale and num_units for application "k"'],
  },
  {
    rule: 'placement on IAAS is a decode error: one message, not two',
    yaml: 'applications:\n  d: {charm: ch:mysql, num_units: 2, to: ["lxd:0"], placement: "x=y"}\n',
    errors: ['unmarshal document 0: placement (x=y) not valid for non-Kubernetes application "d"'],
  },
  {
    rule: 'kubernetes: placement and to',
    yaml: 'bundle: kubernetes\napplications:\n  d: {charm: ch:mysql, scale: 1, placement: "a=b", to: ["c=d"]}\n',
    errors: ['unmarshal document 0: cannot specify both placement and to for application "d"'],
  },
  {
    rule: 'placement: too many, syntax, undefined application and machine, unit out of range',
    yaml: [
      'applications:',
      '  a: {charm: ch:mysql, num_units: 1, to: [new, new]}',
      '  b: {charm: ch:mysql, num_units: 6, to: ["zone=us-east-1a", "new/2", "lxd", "c/0", "a/1", "9"]}',
      '  d: {charm: ch:mysql, num_units: 2, to: ["lxd:a/0", "bad:0"]}',
      'machines:',
      '  "0": {}',
      '',
    ].join('\n'),
    errors: [
      'too many units specified in unit placement for application "a"',
      'invalid placement syntax "zone=us-east-1a"',
      'invalid placement syntax "new/2"',
      'placement "lxd" refers to an application not defined in this bundle',
      'placement "c/0" refers to an application not defined in this bundle',
      'placement "a/1" specifies a unit greater than the 1 unit started by the target application',
      'placement "9" refers to a machine not defined in this bundle',
    ],
  },
  {
    rule: 'kubernetes placement',
    yaml: 'bundle: kubernetes\napplications:\n  a:\n    charm: ch:mysql\n    num_units: 2\n    to: ["foo", "a=b"]\n',
    errors: [
      'too many placement directives for application "a"',
      'expected "key=value", got "foo" for application "a"',
    ],
  },
  {
    rule: 'relations',
    yaml: [
      'applications:',
      '  a: {charm: ch:mysql}',
      '  b: {charm: ch:mysql}',
      'saas:',
      '  b: {url: admin/m.b}',
      'relations:',
      '- [a:db]',
      '- ["a:Bad Name", b]',
      '- [a:db, c:db]',
      '- [a:db, a:peer]',
      '- [a:db, b:db]',
      '- [b:db, a:db]',
      '',
    ].join('\n'),
    errors: [
      'application "b" already exists with SAAS "b" name',
      'SAAS "b" already exists with application "b" name',
      'relation ["a:db"] has 1 endpoint(s), not 2',
      'invalid relation syntax "a:Bad Name"',
      'ambiguous relation "b" refers to a application and a SAAS in this bundle',
      'relation ["a:db" "c:db"] refers to application "c" not defined in this bundle',
      'relation ["a:db" "a:peer"] relates an application to itself',
      'ambiguous relation "b" refers to a application and a SAAS in this bundle',
      'ambiguous relation "b" refers to a application and a SAAS in this bundle',
      'relation ["b:db" "a:db"] is defined more than once',
    ],
  },
  {
    rule: 'unused machines',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    num_units: 1\n    to: ["lxd:0"]\nmachines:\n  "0": {}\n  "1":\n',
    errors: ['machine "1" is not referred to by a placement directive'],
  },
  {
    rule: 'charm options: unknown name (Charmhub) and wrong type',
    yaml: 'applications:\n  keystone:\n    charm: keystone\n    channel: 2024.1/stable\n    options:\n      admin-pasword: x\n      worker-multiplier: lots\n      debug: maybe\n      admin-password: 42\n',
    juju: ['3'],
    errors: [
      'cannot validate application "keystone": configuration option "admin-pasword" not found in charm "keystone"',
      'cannot validate application "keystone": option "worker-multiplier" expected float, got "lots"',
      'cannot validate application "keystone": option "debug" expected boolean, got "maybe"',
      'cannot validate application "keystone": option "admin-password" expected string, got 42',
    ],
  },
  {
    rule: 'wrong YAML types are goyaml unmarshal errors',
    yaml: 'applications:\n  a:\n    charm: ch:mysql\n    num_units: three\n    to: lxd\n',
    errors: [
      'unmarshal document 0: yaml: unmarshal errors: cannot unmarshal !!str `three` into int (applications.a.num_units)',
      'unmarshal document 0: yaml: unmarshal errors: cannot unmarshal !!str `lxd` into slice (applications.a.to)',
    ],
  },
];

for (const c of cases) {
  for (const juju of c.juju ?? BOTH) {
    test(`juju ${juju}: ${c.rule}`, (t) => {
      const expected = Array.isArray(c.errors) ? c.errors : c.errors[juju]!;
      const result = check(c.yaml, juju, c.overlays);
      // Juju walks Go maps, so its own tests compare the errors sorted
      t.deepEqual(
        { valid: result.valid, errors: [...result.errors].sort() },
        { valid: expected.length === 0, errors: [...expected].sort() },
      );
    });
  }
}

test('the base bundle is verified alone first: an overlay cannot repair it', (t) => {
  const result = check('applications:\n  a:\n    charm: ch:mysql\n    num_units: -1\n', '3', [
    'applications:\n  a:\n    num_units: 1\n',
  ]);
  t.deepEqual(result.errors, ['negative number of units specified on application "a"']);
});

test('overlays: a body-less application removes it and its relations; services in an overlay is refused', (t) => {
  const base =
    'applications:\n  a: {charm: ch:mysql, num_units: 1}\n  b: {charm: ch:wordpress, num_units: 1}\nrelations:\n- [a, b]\n';
  t.true(check(base, '3', ['applications:\n  b:\n']).valid);
  t.deepEqual(check(base, '3', ['services:\n  b: {charm: ch:x}\n']).errors, [
    "bundle overlay file used deprecated 'services' key, this is not valid for bundle overlay files",
  ]);
  t.deepEqual(check(base, '3', ['applications:\n  a:\n    to: ["7"]\n']).errors, [
    'placement "7" refers to a machine not defined in this bundle',
  ]);
});

test('juju 2.9 reads services: as applications, and refuses both together', (t) => {
  t.true(check('services:\n  a:\n    charm: cs:mysql\n', '2.9').valid);
  t.deepEqual(
    check('services:\n  a: {charm: cs:mysql}\napplications:\n  b: {charm: cs:mysql}\n', '2.9').errors,
    ['cannot specify both applications and services'],
  );
});

// bionic-ussuri really declares three relations twice: Juju refuses it, so do we.
const DUPLICATED = 'openstack-on-lxd/bundle-bionic-ussuri.yaml';

for (const file of referenceBundleFiles()) {
  test(`reference ${file}: accepted by --juju 2.9${file === DUPLICATED ? ' except its duplicate relations' : ''}`, (t) => {
    const result = check(readReference(file), '2.9');
    if (file === DUPLICATED) {
      t.deepEqual(result.errors, [
        'relation ["neutron-gateway:amqp" "rabbitmq-server:amqp"] is defined more than once',
        'relation ["neutron-gateway:neutron-plugin-api" "neutron-api:neutron-plugin-api"] is defined more than once',
        'relation ["nova-cloud-controller:quantum-network-service" "neutron-gateway:quantum-network-service"] is defined more than once',
      ]);
    } else {
      t.deepEqual({ valid: result.valid, errors: result.errors }, { valid: true, errors: [] });
    }
  });

  test(`reference ${file}: refused by --juju 3 (services: and cs:) in Juju 3's words`, (t) => {
    const result = check(readReference(file), '3');
    t.false(result.valid);
    t.is(result.errors[0], 'at least one application must be specified');
    // what follows from having no applications: every relation and machine is dangling
    const consequences = [
      / refers to application "[a-z0-9-]+" not defined in this bundle$/,
      /^machine "\d+" is not referred to by a placement directive$/,
      / is defined more than once$/,
    ];
    t.true(result.errors.slice(1).every((e) => consequences.some((pattern) => pattern.test(e))));
  });
}

test('the cs: charms themselves are refused by Juju 3 once the bundle uses applications:', (t) => {
  const text = readReference('spell-2016-10-13.yaml').replace(/^services:/m, 'applications:');
  const result = check(text, '3');
  t.true(
    result.errors.includes(
      'invalid charm URL in application "keystone": cannot parse URL "cs:xenial/keystone": schema "cs" not valid',
    ),
  );
  t.is(result.errors.filter((e) => e.includes('schema "cs" not valid')).length, 15);
});

test('image-id is allowed in a Juju 3 overlay, not in the base', (t) => {
  const base = 'applications:\n  a:\n    charm: ch:mysql\n';
  t.deepEqual(check(base, '3', ['applications:\n  a:\n    constraints: image-id=ubuntu-bf2\n']), {
    valid: true,
    errors: [],
    warnings: [],
    unchecked: ['ch:mysql'],
  });
});

test('local charm paths are checked against the bundle folder when the caller lets us look', (t) => {
  const [base] = parseBundleText(
    'applications:\n  a:\n    charm: ./charms/./foo\n  b:\n    charm: /srv/bar\n',
    'b',
  );
  const seen: string[] = [];
  const result = validateBundle(
    { base },
    { juju: '3', bundleDir: '/work/lab', pathExists: (path) => (seen.push(path), path === '/srv/bar') },
  );
  t.deepEqual(seen, ['/work/lab/charms/foo', '/srv/bar']);
  t.deepEqual(result.errors, ['charm path in application "a" does not exist: /work/lab/charms/foo']);
});

test('unknown fields are warnings, as Juju ignores them: per flavour', async (t) => {
  const { unknownFieldWarnings } = await import('../../src/bundle/shape.js');
  const [doc] = parseBundleText(
    'variables:\n  x: &x 1\ndefault-base: ubuntu@22.04\nservices: {}\napplications:\n  mysql:\n    charm: ch:mysql\n    num-units: 3\n    base: ubuntu@22.04\nmachines:\n  "0":\n    zone: a\n',
    'b',
  );
  t.deepEqual(unknownFieldWarnings(doc!, 0, '3'), [
    'unmarshal document 0: field variables not found in bundle',
    'unmarshal document 0: field services not found in bundle',
    'unmarshal document 0: field num-units not found in applications (application "mysql")',
    'unmarshal document 0: field zone not found in machines (machine "0")',
  ]);
  t.deepEqual(unknownFieldWarnings(doc!, 0, '2.9'), [
    'unmarshal document 0: field variables not found in bundle',
    'unmarshal document 0: field default-base not found in bundle',
    'unmarshal document 0: field num-units not found in applications (application "mysql")',
    'unmarshal document 0: field base not found in applications (application "mysql")',
    'unmarshal document 0: field zone not found in machines (machine "0")',
  ]);
});

test('any input at all gets a verdict, never an exception (property)', async (t) => {
  const fc = (await import('fast-check')).default;
  const { bundleTopology } = await import('../../src/bundle/graph.js');
  const { bundleChanges } = await import('../../src/bundle/changes.js');
  const application = fc.record(
    {
      charm: fc.oneof(
        fc.constantFrom('ch:mysql', 'cs:xenial/mysql', 'mysql-1', './local', ''),
        fc.anything(),
      ),
      num_units: fc.oneof(fc.integer({ min: -2, max: 4 }), fc.anything()),
      to: fc.oneof(
        fc.array(fc.constantFrom('0', 'lxd:0', 'new', 'lxd:new', 'b', 'b/0', 'lxd:b', 'x=y')),
        fc.anything(),
      ),
      options: fc.anything(),
      constraints: fc.oneof(fc.constantFrom('mem=4G', 'arch=amd64 cores=2', 'bad'), fc.anything()),
      expose: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const bundle = fc.record(
    {
      applications: fc.oneof(
        fc.dictionary(fc.constantFrom('a', 'b', 'c-d', 'Bad'), fc.oneof(application, fc.constant(null))),
        fc.anything(),
      ),
      machines: fc.oneof(fc.dictionary(fc.constantFrom('0', '1', '05'), fc.anything()), fc.anything()),
      relations: fc.oneof(
        fc.array(fc.array(fc.constantFrom('a', 'b:db', 'c-d:x', 'a:db', 'zz'))),
        fc.anything(),
      ),
      series: fc.anything(),
      'default-base': fc.anything(),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(
      fc.oneof(bundle, fc.anything()),
      fc.array(fc.oneof(bundle, fc.anything()), { maxLength: 2 }),
      fc.constantFrom('2.9', '3'),
      (base, overlays, juju) => {
        const result = validateBundle({ base, overlays }, { juju: juju as JujuFlavour });
        bundleTopology(base);
        if (result.valid) {
          try {
            bundleChanges(base, { juju: juju as JujuFlavour });
          } catch (error) {
            // the one failure Juju also reports at this stage
            if (!String((error as Error).message).startsWith('cycle in placement directives for: '))
              throw error;
          }
        }
        return (
          typeof result.valid === 'boolean' &&
          result.errors.every((e) => typeof e === 'string') &&
          result.valid === (result.errors.length === 0)
        );
      },
    ),
    { numRuns: 2000 },
  );
  t.pass();
});

test('include directives are resolved against the bundle folder after merging; a missing file is fatal', (t) => {
  const [base] = parseBundleText(
    [
      'applications:',
      '  a:',
      '    charm: ch:mysql',
      '    num_units: 1',
      '    to: ["0"]',
      '    options: {config: "include-file://./conf/../a.cfg", key: "include-base64:///etc/key"}',
      '    annotations: {note: "include-file://missing.txt"}',
      'machines:',
      '  "0":',
      '    annotations: {x: "include-file://m.txt"}',
      '',
    ].join('\n'),
    'b',
  );
  const present = new Set(['/lab/a.cfg', '/etc/key']);
  const result = validateBundle(
    { base },
    { juju: '3', bundleDir: '/lab', pathExists: (p) => present.has(p) },
  );
  t.deepEqual(result.errors, [
    'processing annotation "note" for application "a": resolving include "missing.txt": include file "/lab/missing.txt" not found',
    'processing annotation "x" for machine "0": resolving include "m.txt": include file "/lab/m.txt" not found',
  ]);
  t.true(validateBundle({ base }, { juju: '3' }).valid, 'without file access the includes are left to Juju');
});
