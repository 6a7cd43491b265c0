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
