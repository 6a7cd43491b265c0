import test from 'ava';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { ADMIN_PASSWORD, cliInProcess as cli, ledger, newSimLab, simFootprint } from '../pipeline/sim-lab.js';

// The 2016 tutorial's layout (target.kind nested-container) through the CLI on the simulator: the outer
// container is an object of the simulated LXD, recorded in the ledger, kept by redeploy (it holds the
// controller) and deleted by teardown. The exec path itself is covered by test/pipeline/nested-lab.test.ts.

async function nestedLab() {
  const lab = await newSimLab();
  await writeLabYaml(join(lab.cwd, 'lab.yaml'), {
    ...defaultSpec('tutorial-2016'),
    adminPassword: ADMIN_PASSWORD,
    target: { kind: 'nested-container', cloud: 'localhost', container: 'openstack' },
  });
  return lab;
}

test('a nested-container lab deploys on the simulator, redeploy keeps its outer container, teardown removes it', async (t) => {
  const lab = await nestedLab();
  const dry = await cli(lab, ['deploy', '--dry-run']);
  t.is(dry.exitCode, 0, dry.stderr);
  t.regex(
    dry.stdout,
    /lxc init ubuntu:16\.04 openstack -c security\.privileged=true -c security\.nesting=true -c linux\.kernel_modules=iptable_nat,ip6table_nat,ebtables,openvswitch/,
  );
  t.regex(dry.stdout, /lxc exec openstack -- juju bootstrap localhost lxdstack/);
  t.regex(dry.stdout, /ip route replace/);

  const up = await cli(lab, ['deploy', '--simulate']);
  t.is(up.exitCode, 0, up.stderr);
  t.regex(up.stdout, /outer container openstack stands in the simulator/);
  t.regex(up.stdout, /Expose the cloud to this host +SIMULATION: no route or proxy device/);
  t.true((await simFootprint(lab)).containers.includes('openstack'));
  t.true((await ledger(lab)).resources.some((r) => r.kind === 'lxd-instance' && r.name === 'openstack'));

  const again = await cli(lab, ['redeploy', '--yes']);
  t.is(again.exitCode, 0, again.stderr);
  t.regex(again.stdout, /outer container openstack kept: it holds the controller/);
  t.regex(again.stdout, /Check the host is clean: nothing left/);
  t.true((await simFootprint(lab)).containers.includes('openstack'));

  const down = await cli(lab, ['teardown', '--yes']);
  t.is(down.exitCode, 0, down.stderr);
  t.regex(down.stdout, /outer container openstack deleted/);
  t.regex(down.stdout, /Teardown complete: nothing this lab created remains\./);
  t.deepEqual(await simFootprint(lab), { controllers: [], profiles: ['default'], containers: [] });
});
