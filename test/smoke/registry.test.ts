import test from 'ava';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { CHECKS } from '../../src/smoke/checks/index.js';
import { SUITE_CHECKS, runSmokeSuite } from '../../src/smoke/suite.js';
import type { SmokeInput } from '../../src/smoke/types.js';
import { fakeCloud } from './fake-cloud.js';

// The check registry and its runner, against an in-memory cloud whose consoles print what the test says.

/** A console that really runs the instance's computation (its runcmd, under /bin/sh), then init's last line. */
function computingConsole(userData: string): string {
  const script = userData ? (parse(userData) as { runcmd: string[][] }).runcmd[0]![2]! : 'true';
  return `${execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' })}Cloud-init v. lxdstack-init finished at now.\n`;
}

const computeInput = (client: SmokeInput['client'], extra: Partial<SmokeInput> = {}): SmokeInput => ({
  suite: 'compute',
  client,
  computeCount: 1,
  imageName: 'lxdstack-lxc',
  flavorName: 'lxdstack.lxc',
  budgetMs: { bootMs: 5000, computeMs: 3000, cleanupMs: 5000 },
  ...extra,
});

test('every check has a unique name, needs only checks listed before it, and each suite keeps report order', (t) => {
  const names = CHECKS.map((c) => c.name);
  t.is(new Set(names).size, names.length);
  CHECKS.forEach((check, at) => {
    for (const need of check.needs)
      t.true(names.indexOf(need) >= 0 && names.indexOf(need) < at, `${check.name} needs ${need}`);
  });
  t.deepEqual(SUITE_CHECKS.compute, [
    'auth-catalog',
    'hypervisors',
    'image',
    'flavor',
    'compute-boot',
    'compute-results',
    'cleanup',
  ]);
  t.is(SUITE_CHECKS.full.at(-1), 'cleanup');
});

test('the compute suite boots 3 instances by default, checks each result, and reports task, result, times and host', async (t) => {
  const cloud = fakeCloud({ console: computingConsole });
  const report = await runSmokeSuite(computeInput(cloud, { hypervisorType: 'lxc' }));
  t.deepEqual(
    report.checks.map((c) => `${c.name} ${c.outcome}`),
    SUITE_CHECKS.compute.map((name) => `${name} pass`),
    JSON.stringify(report.checks, null, 1),
  );
  const results = report.checks.find((c) => c.name === 'compute-results')!;
  t.regex(results.detail!, /^3 results verified/);
  t.is(results.instances!.length, 3);
  t.deepEqual(
    results.instances!.map((i) => i.task.split(' ')[0]),
    ['sum', 'Fibonacci', 'how'],
  );
  for (const instance of results.instances!) {
    t.like(instance, { ok: true, host: 'compute-a' });
    t.is(instance.result, instance.expected);
    t.true(instance.resultMs! >= instance.bootMs!);
  }
  t.is(cloud.servers.size, 0, 'clean-up deleted every instance');
});

test('a wrong result fails the check naming the instance, and the report keeps every instance', async (t) => {
  const cloud = fakeCloud({
    console: (userData) => computingConsole(userData).replace(/(LXDSTACK-RESULT-\S+-1) \d+/g, '$1 42'),
  });
  const report = await runSmokeSuite(computeInput(cloud, { instanceCount: 2 }));
  const results = report.checks.find((c) => c.name === 'compute-results')!;
  t.is(results.outcome, 'fail');
  t.regex(results.cause!, /wrong results: instance 1 printed 42, expected \d+/);
  t.like(results.instances![1], { ok: false, result: '42' });
  t.like(results.instances![0], { ok: true });
  t.false(report.ok);
});

test('an instance that prints nothing fails after the budget, and the clean-up still runs', async (t) => {
  const cloud = fakeCloud({ console: () => 'booting...\n' });
  const report = await runSmokeSuite(computeInput(cloud, { instanceCount: 1 }));
  const results = report.checks.find((c) => c.name === 'compute-results')!;
  t.is(results.outcome, 'fail');
  t.regex(results.cause!, /no result on the console of instance 0 within 3 s; read its console log\./);
  t.like(results.instances![0], { ok: false, error: 'no result within 3 s' });
  t.like(
    report.checks.find((c) => c.name === 'cleanup'),
    { outcome: 'pass' },
  );
  t.is(cloud.servers.size, 0);
});

test('without an image name, several active images fail the image check and the boot checks are skipped for it', async (t) => {
  const cloud = fakeCloud({
    images: [
      { id: 'a', name: 'lxdstack-lxc', status: 'active' },
      { id: 'b', name: 'lxdstack-bench-36b529', status: 'active' },
    ],
  });
  const report = await runSmokeSuite(computeInput(cloud, { imageName: undefined }));
  const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
  t.regex(
    byName.image!.cause!,
    /2 active images \(lxdstack-lxc, lxdstack-bench-36b529\) and none named; pass --image NAME/,
  );
  t.like(byName['compute-boot'], {
    outcome: 'skip',
    detail: 'not run: no usable image or flavor (see the image and flavor checks).',
  });
  t.like(byName['compute-results'], {
    outcome: 'skip',
    detail: 'not run: no usable image or flavor (see the image and flavor checks).',
  });
  t.like(byName.cleanup, { outcome: 'pass', detail: 'nothing was created' });
});

test('when authentication fails, every other check is skipped with that reason, also those further down', async (t) => {
  const report = await runSmokeSuite({ ...computeInput(fakeCloud({ badAuth: true })), suite: 'full' });
  t.like(report.checks[0], { name: 'auth-catalog', outcome: 'fail' });
  for (const check of report.checks.slice(1))
    t.is(check.detail, 'not run: authentication or the catalog failed (see auth-catalog).', check.name);
});

test('the full suite on a real-console cloud passes the console marker and skips ping and SSH for want of a network', async (t) => {
  const cloud = fakeCloud({ console: computingConsole });
  const report = await runSmokeSuite({
    ...computeInput(cloud),
    suite: 'full',
    externalNetworkName: 'ext-net',
  });
  const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
  t.like(byName['instance-console'], {
    outcome: 'pass',
    detail: 'the console shows "Cloud-init v. lxdstack-init finished at now."',
  });
  // no external network in this cloud: floating-ip fails, and ping and SSH say why they did not run
  t.like(byName['floating-ip'], { outcome: 'fail' });
  t.like(byName.ping, { outcome: 'skip', detail: 'not run: no floating IP (see floating-ip).' });
  t.like(byName['compute-results'], { outcome: 'pass' });
});
