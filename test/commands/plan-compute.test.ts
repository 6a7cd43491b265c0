import test from 'ava';
import { ADMIN_PASSWORD, cliInProcess as cli, newSimLab } from '../pipeline/sim-lab.js';

// A modern lab whose instances are containers (compute.virtType: lxc), through the CLI's command line
// in this process: plan says it is testing-only and shows the loop devices its LXD profile passes;
// deploy's summary says it too.

const LAB = `name: lxc-lab
profile: modern
adminPassword: ${ADMIN_PASSWORD}
compute:
  virtType: lxc
`;

test('plan of a modern lab with virtType lxc shows the caveat and the LXD profile’s loop devices', async (t) => {
  const lab = await newSimLab({}, { yaml: LAB, name: 'lxc-lab' });
  const text = await cli(lab, ['plan']);
  t.is(text.exitCode, 0, text.stderr);
  t.regex(
    text.stdout,
    /Compute: nova-compute virt-type lxc\n {2}CAVEAT: compute\.virtType lxc is for testing only/,
  );
  t.regex(
    text.stdout,
    /LXD profile juju-openstack devices: eth0, eth1, loop-control, loop0, loop1, loop2, loop3, loop4, loop5, loop6, loop7, mem, root, tun/,
  );
  const json = await cli(lab, ['plan', '--json']);
  const plan = JSON.parse(json.stdout) as {
    compute: { virtType: string; caveats: string[] };
    lxdProfile: { devices: string[] };
  };
  t.is(plan.compute.virtType, 'lxc');
  t.regex(plan.compute.caveats[0]!, /testing only/);
  t.true(plan.lxdProfile.devices.includes('loop-control'));
  t.false(plan.lxdProfile.devices.includes('kvm'));
});

test('plan of a default modern lab shows no caveat; deploy of an lxc lab says it in its summary', async (t) => {
  const plain = await newSimLab(
    {},
    { yaml: `name: plain\nprofile: modern\nadminPassword: ${ADMIN_PASSWORD}\n`, name: 'plain' },
  );
  const text = await cli(plain, ['plan']);
  t.is(text.exitCode, 0, text.stderr);
  t.regex(text.stdout, /Compute: nova-compute virt-type (kvm|qemu)\n/);
  t.notRegex(text.stdout, /CAVEAT/);
  const lab = await newSimLab({}, { yaml: LAB, name: 'lxc-lab' });
  const deployed = await cli(lab, ['deploy', '--simulate']);
  t.is(deployed.exitCode, 0, deployed.stderr);
  t.regex(deployed.stdout, /CAVEAT: compute\.virtType lxc is for testing only/);
});
