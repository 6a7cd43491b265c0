import test from 'ava';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { cloudInitFinishedLine, computeTask, expectedResult, findResult } from '../../src/smoke/compute.js';

test('each instance’s computation, run by /bin/sh from its user-data, prints the value computed here', (t) => {
  for (const index of [0, 1, 5]) {
    const task = computeTask('run1', index, 3000);
    const cloudConfig = parse(task.userData) as { runcmd: string[][] };
    t.true(task.userData.startsWith('#cloud-config\n'));
    const [shell, flag, script] = cloudConfig.runcmd[0]!;
    t.deepEqual([shell, flag], ['sh', '-c']);
    const output = execFileSync('/bin/sh', ['-c', script!], { encoding: 'utf8' });
    t.is(findResult(output, task.marker), task.expected);
  }
  t.not(computeTask('r', 0).expected, computeTask('r', 1).expected);
});

test('the expected value is the closed form of the sum', (t) => {
  // sum i^2 for i=1..n is n(n+1)(2n+1)/6
  const n = 1000;
  t.is(expectedResult(1, n), String((n * (n + 1) * (2 * n + 1)) / 6));
});

test('results and cloud-init’s end are read from a console log', (t) => {
  const log =
    '[  OK  ] Started\r\nLXDSTACK-RESULT-x-1 12345\r\nLXDSTACK-RESULT-x-10 999\nCloud-init v. 23.4-0ubuntu1 finished at Sun, 22 Nov 2026 03:00:00 +0000. Datasource DataSourceOpenStack.  Up 12.3 seconds\n';
  t.is(findResult(log, 'LXDSTACK-RESULT-x-1'), '12345');
  t.is(findResult(log, 'LXDSTACK-RESULT-x-10'), '999');
  t.is(findResult(log, 'LXDSTACK-RESULT-x-2'), undefined);
  t.regex(cloudInitFinishedLine(log)!, /^Cloud-init v\. 23\.4-0ubuntu1 finished at Sun, 22 Nov 2026/);
  t.is(cloudInitFinishedLine('FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE'), undefined);
});
