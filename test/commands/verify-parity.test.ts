import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliInProcess as cli, newSimLab } from '../pipeline/sim-lab.js';
import type { SmokeReport } from '../../src/smoke/types.js';

// Issue 16 item 3: deploy's verify step and `lxdstack verify` run the same checks on the same lab, with
// the same expectations and credentials rules, so their reports list the same checks with the same outcomes.

function checkList(report: SmokeReport): string[] {
  return report.checks.map((check) => `${check.group}/${check.name}: ${check.outcome}`);
}

test("deploy's verify step and `lxdstack verify --json` report the same checks for a simulated lab", async (t) => {
  const lab = await newSimLab();
  const deployed = await cli(lab, ['deploy', '--simulate']);
  t.is(deployed.exitCode, 0, deployed.stderr);
  const fromDeploy = JSON.parse(
    await readFile(join(lab.labDir, 'reports', 'latest', 'smoke-report.json'), 'utf8'),
  ) as SmokeReport;

  const verified = await cli(lab, ['verify', '--json']);
  t.is(verified.exitCode, 0, verified.stderr);
  const fromVerify = (JSON.parse(verified.stdout) as { report: SmokeReport }).report;

  t.true(fromDeploy.checks.length > 3, 'the suite ran real checks');
  t.is(fromVerify.suite, fromDeploy.suite);
  t.is(fromVerify.simulated, fromDeploy.simulated);
  t.deepEqual(checkList(fromVerify), checkList(fromDeploy));
  t.deepEqual(fromVerify.summary, fromDeploy.summary);
});
