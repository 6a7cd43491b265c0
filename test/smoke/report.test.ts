import test from 'ava';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseReportFormats,
  renderHtmlReport,
  renderJsonReport,
  renderJunitReport,
  renderTextReport,
  writeReports,
} from '../../src/smoke/report.js';
import type { SmokeReport } from '../../src/smoke/types.js';
import { InputError } from '../../src/util/errors.js';

const report: SmokeReport = {
  suite: 'full',
  simulated: false,
  cloud: 'http://127.0.0.1:5000/v3',
  startedAt: '2026-11-22T03:00:00.000Z',
  durationMs: 12_345,
  checks: [
    {
      name: 'auth-catalog',
      group: 'identity',
      outcome: 'pass',
      durationMs: 120,
      detail: 'token for project p1',
    },
    {
      name: 'instance-boot',
      group: 'instance',
      outcome: 'fail',
      durationMs: 9000,
      cause: 'instance x went to ERROR: No valid host <was> found & "s3cret-pass" leaked',
    },
    {
      name: 'ping',
      group: 'instance',
      outcome: 'skip',
      durationMs: 0,
      detail: "the hypervisor is nova's fake driver",
    },
  ],
  summary: { pass: 1, fail: 1, skip: 1 },
  ok: false,
};
const secrets = ['s3cret-pass'];

test('the text summary lists each check with outcome, time and cause, and masks secrets', (t) => {
  const text = renderTextReport(report, { secrets });
  t.regex(text, /PASS {2}auth-catalog +0\.12 s {2}token for project p1/);
  t.regex(text, /FAIL {2}instance-boot +9\.00 s {2}instance x went to ERROR/);
  t.regex(text, /SKIP {2}ping/);
  t.regex(text, /FAILED: 1 passed, 1 failed, 1 skipped in 12\.3 s/);
  t.false(text.includes('s3cret-pass'));
  t.true(text.includes('***'));
  t.regex(renderTextReport({ ...report, simulated: true }), /^SIMULATION/);
});

test('JUnit XML counts, escapes and marks skips and failures', (t) => {
  const xml = renderJunitReport(report, { secrets });
  t.regex(
    xml,
    /<testsuites name="lxdstack smoke full" tests="3" failures="1" errors="0" skipped="1" time="12\.345">/,
  );
  t.regex(
    xml,
    /<testcase classname="lxdstack.smoke.instance" name="instance-boot" time="9\.000">\n {6}<failure message="instance x went to ERROR: No valid host &lt;was&gt; found &amp; &quot;\*\*\*&quot; leaked"/,
  );
  t.regex(xml, /<skipped message="the hypervisor is nova&apos;s fake driver"\/>/);
  t.false(xml.includes('s3cret-pass'));
  t.regex(renderJunitReport(report, { simulated: true }), /name="lxdstack smoke full \(SIMULATION\)"/);
});

test('the HTML page is self-contained, shows failures with their cause, and states SIMULATION prominently', (t) => {
  const page = renderHtmlReport(report, {
    secrets,
    topologySvg: '<svg onload="x()"><script>alert(1)</script><g/></svg>',
  });
  t.regex(
    page,
    /<div class="fail-item"><b>instance-boot<\/b> \(instance, 9\.00 s\)<br>instance x went to ERROR: No valid host &lt;was&gt; found &amp; &quot;\*\*\*&quot; leaked<\/div>/,
  );
  t.false(page.includes('s3cret-pass'));
  t.false(/<script|<link|src="http/.test(page));
  t.true(page.includes('<svg><g/></svg>'));
  t.false(page.includes('SIMULATION'));
  const simulated = renderHtmlReport({ ...report, simulated: true });
  t.regex(simulated, /<div class="banner">SIMULATION/);
  t.regex(simulated, /<title>lxdstack smoke report: full \(SIMULATION\)<\/title>/);
  const allSkipped = {
    ...report,
    checks: [report.checks[2]!],
    summary: { pass: 0, fail: 0, skip: 1 },
    ok: true,
  };
  t.regex(renderHtmlReport(allSkipped), /<div class="verdict none">NOTHING VERIFIED<\/div>/);
  t.regex(renderTextReport(allSkipped), /NOTHING VERIFIED: 0 passed, 0 failed, 1 skipped/);
});

test('JSON keeps the report’s data, and reports are written where asked', async (t) => {
  t.deepEqual(JSON.parse(renderJsonReport(report)).summary, report.summary);
  const dir = await mkdtemp(join(tmpdir(), 'lxdstack-reports-'));
  const paths = await writeReports(report, parseReportFormats('junit, html'), dir, { secrets });
  t.deepEqual(paths, [join(dir, 'smoke-report.junit.xml'), join(dir, 'smoke-report.html')]);
  t.regex(await readFile(paths[0]!, 'utf8'), /^<\?xml/);
  const error = t.throws(() => parseReportFormats('json,pdf'), { instanceOf: InputError });
  t.regex(error.message, /unknown format pdf/);
});

test('the compute check’s instances are in every report: task, result, timings and host', (t) => {
  const computed: SmokeReport = {
    ...report,
    checks: [
      {
        name: 'compute-results',
        group: 'cluster',
        outcome: 'fail',
        durationMs: 4000,
        cause: 'wrong results: instance 1 printed 42, expected 161343255.',
        instances: [
          {
            index: 0,
            name: 'run-compute-0',
            task: 'sum of i²·7 mod 1e9+7 for i = 1..20000',
            expected: '66559324',
            result: '66559324',
            ok: true,
            host: 'lxc-compute-1',
            bootMs: 6100,
            resultMs: 8200,
          },
          {
            index: 1,
            name: 'run-compute-1',
            task: 'Fibonacci number F(20020) mod 1e9+7',
            expected: '161343255',
            result: '42',
            ok: false,
            host: 'lxc-compute-2',
            bootMs: 6300,
            resultMs: 9400,
            error: 'printed 42, expected 161343255',
          },
        ],
      },
    ],
    summary: { pass: 0, fail: 1, skip: 0 },
    ok: false,
  };
  const text = renderTextReport(computed);
  t.regex(
    text,
    /instance 0 on lxc-compute-1: sum of i²·7 mod 1e9\+7 for i = 1\.\.20000 -> 66559324 as expected \(ACTIVE 6\.10 s, result 8\.20 s\)/,
  );
  t.regex(text, /instance 1 on lxc-compute-2: Fibonacci .* -> printed 42, expected 161343255/);
  const page = renderHtmlReport(computed);
  t.regex(page, /<h2>Instances that computed<\/h2>/);
  t.regex(
    page,
    /<td>run-compute-1<\/td><td>Fibonacci number F\(20020\) mod 1e9\+7<\/td><td class="num">161343255<\/td><td><span class="o o-fail">FAIL<\/span> printed 42, expected 161343255<\/td><td>lxc-compute-2<\/td><td class="num">6\.30 s<\/td><td class="num">9\.40 s<\/td>/,
  );
  const json = JSON.parse(renderJsonReport(computed)) as SmokeReport;
  t.deepEqual(json.checks[0]!.instances, computed.checks[0]!.instances);
  t.notRegex(renderHtmlReport(report), /Instances that computed/);
});
