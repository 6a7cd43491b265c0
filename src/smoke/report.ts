import { join } from 'node:path';
import { InputError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { redactText } from '../util/redact.js';
import type { CheckResult, InstanceResult, SmokeReport } from './types.js';

// The smoke report in four forms: a text summary, JSON, JUnit XML for CI systems, and one self-contained
// HTML page. Renderers are pure; writeReports is the only I/O. Every text passes the secrets filter.

export const REPORT_FORMATS = ['json', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** The lab's topology picture (from the bundle graph). */
  topologySvg?: string;
  simulated?: boolean;
  /** Strings to print as *** wherever they appear. */
  secrets?: readonly string[];
}

const SYMBOL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
}

/** PASSED, FAILED, or NOTHING VERIFIED when every check was skipped (a simulation, an empty suite). */
function verdict(report: SmokeReport): { word: string; css: string } {
  if (!report.ok) return { word: 'FAILED', css: 'bad' };
  if (report.summary.pass === 0) return { word: 'NOTHING VERIFIED', css: 'none' };
  return { word: 'PASSED', css: 'ok' };
}

/** The compute check's instances (one check lists them: the results, or the boot when it failed). */
function instancesOf(report: SmokeReport): InstanceResult[] {
  return report.checks.find((c) => c.instances !== undefined)?.instances ?? [];
}

function instanceOutcome(instance: InstanceResult): string {
  if (instance.ok) return `${instance.result} as expected`;
  return instance.error ?? (instance.result === undefined ? 'no result' : `printed ${instance.result}`);
}

function optionalSeconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${seconds(ms)} s`;
}

function isSimulated(report: SmokeReport, options: RenderOptions): boolean {
  return options.simulated ?? report.simulated;
}

/** Parse `json,junit,html`; unknown names are an InputError naming them. */
export function parseReportFormats(text: string | undefined): ReportFormat[] {
  if (text === undefined || text.trim() === '') return [];
  const names = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(REPORT_FORMATS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new InputError(
      `--report: unknown format ${unknown.join(', ')}; use a comma-separated list of ${REPORT_FORMATS.join(', ')}.`,
    );
  return [...new Set(names)] as ReportFormat[];
}

export function renderTextReport(report: SmokeReport, options: RenderOptions = {}): string {
  const lines: string[] = [];
  if (isSimulated(report, options))
    lines.push('SIMULATION: no real cloud was tested; checks needing one are skipped.');
  lines.push(`Smoke suite "${report.suite}" against ${report.cloud}`);
  const width = Math.max(...report.checks.map((c) => c.name.length), 5);
  for (const check of report.checks) {
    const text = check.outcome === 'fail' ? check.cause : check.detail;
    lines.push(
      `  ${SYMBOL[check.outcome]}  ${check.name.padEnd(width)}  ${seconds(check.durationMs).padStart(6)} s${text ? `  ${text}` : ''}`,
    );
    if (check.instances) {
      for (const i of check.instances)
        lines.push(
          `        instance ${i.index} on ${i.host ?? '?'}: ${i.task} -> ${instanceOutcome(i)} (ACTIVE ${optionalSeconds(i.bootMs)}, result ${optionalSeconds(i.resultMs)})`,
        );
    }
  }
  const s = report.summary;
  lines.push(
    `${verdict(report).word.replace('PASSED', 'OK')}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped in ${seconds(report.durationMs)} s`,
  );
  return redactText(`${lines.join('\n')}\n`, options.secrets ?? []);
}

export function renderJsonReport(report: SmokeReport, options: RenderOptions = {}): string {
  return redactText(
    `${JSON.stringify({ ...report, simulated: isSimulated(report, options) }, null, 2)}\n`,
    options.secrets ?? [],
  );
}

/** Characters XML 1.0 cannot carry at all (a console log may hold any byte). */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what is matched
const NOT_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g;

function xml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function junitCase(check: CheckResult): string {
  const head = `    <testcase classname="lxdstack.smoke.${xml(check.group)}" name="${xml(check.name)}" time="${(check.durationMs / 1000).toFixed(3)}"`;
  if (check.outcome === 'fail') {
    const cause = check.cause ?? 'failed';
    return `${head}>\n      <failure message="${xml(cause)}" type="SmokeCheckFailed">${xml(cause)}</failure>\n    </testcase>`;
  }
  if (check.outcome === 'skip')
    return `${head}>\n      <skipped message="${xml(check.detail ?? 'skipped')}"/>\n    </testcase>`;
  return check.detail
    ? `${head}>\n      <system-out>${xml(check.detail)}</system-out>\n    </testcase>`
    : `${head}/>`;
}

export function renderJunitReport(report: SmokeReport, options: RenderOptions = {}): string {
  const name = `lxdstack smoke ${report.suite}${isSimulated(report, options) ? ' (SIMULATION)' : ''}`;
  const s = report.summary;
  const attrs = `name="${xml(name)}" tests="${report.checks.length}" failures="${s.fail}" errors="0" skipped="${s.skip}" time="${(report.durationMs / 1000).toFixed(3)}"`;
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs}>`,
    `  <testsuite ${attrs} timestamp="${xml(report.startedAt.replace(/\.\d+Z$/, ''))}">`,
    '    <properties>',
    `      <property name="cloud" value="${xml(report.cloud)}"/>`,
    `      <property name="simulated" value="${isSimulated(report, options)}"/>`,
    '    </properties>',
    ...report.checks.map(junitCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
  return redactText(body, options.secrets ?? []);
}

function html(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** An SVG from our own graph renderer, minus anything executable, so the page stays inert. */
function inertSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/\son\w+="[^"]*"/gi, '');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 10px}
.meta{color:#5b6575}
.banner{background:#b42318;color:#fff;font-weight:700;font-size:18px;padding:14px 24px;text-align:center;letter-spacing:.04em}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:700;color:#fff;margin-top:10px}
.ok{background:#1a7f37} .bad{background:#b42318} .none{background:#6b7280}
.cards{display:flex;gap:12px;margin:16px 0} .card{background:#fff;border:1px solid #d8dde5;border-radius:6px;padding:10px 16px;min-width:110px}
.card b{display:block;font-size:24px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d8dde5}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #eceff3;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td:first-child{white-space:nowrap;font-weight:600}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.o{font-weight:700;border-radius:3px;padding:1px 6px;font-size:12px;color:#fff}
.o-pass{background:#1a7f37} .o-fail{background:#b42318} .o-skip{background:#8a6d00}
.bar{height:8px;background:#4c78a8;border-radius:2px;min-width:1px}
.fail-item{background:#fff;border:1px solid #f1b5ae;border-left:4px solid #b42318;padding:10px 14px;margin:8px 0;border-radius:4px}
.topology{background:#fff;border:1px solid #d8dde5;padding:12px;overflow:auto}
.topology svg{max-width:100%;height:auto}
`;

export function renderHtmlReport(report: SmokeReport, options: RenderOptions = {}): string {
  const simulated = isSimulated(report, options);
  const s = report.summary;
  const longest = Math.max(1, ...report.checks.map((c) => c.durationMs));
  const rows = report.checks
    .map((c) => {
      const text = c.outcome === 'fail' ? (c.cause ?? '') : (c.detail ?? '');
      const width = Math.max(0.5, (c.durationMs / longest) * 100).toFixed(1);
      return `<tr><td>${html(c.name)}</td><td>${html(c.group)}</td><td><span class="o o-${c.outcome}">${SYMBOL[c.outcome]}</span></td><td class="num">${seconds(c.durationMs)} s</td><td style="width:140px"><div class="bar" style="width:${width}%"></div></td><td>${html(text)}</td></tr>`;
    })
    .join('\n');
  const failures = report.checks.filter((c) => c.outcome === 'fail');
  const failureBlock =
    failures.length === 0
      ? '<p>No check failed.</p>'
      : failures
          .map(
            (c) =>
              `<div class="fail-item"><b>${html(c.name)}</b> (${html(c.group)}, ${seconds(c.durationMs)} s)<br>${html(c.cause ?? 'failed')}</div>`,
          )
          .join('\n');
  const instances = instancesOf(report);
  const instanceBlock =
    instances.length === 0
      ? ''
      : `<h2>Instances that computed</h2>
<p class="meta">Each instance ran its own computation from its user-data and printed the result on its console; the value was computed here too and compared. Times are from the boot request.</p>
<table><thead><tr><th>Instance</th><th>Task</th><th>Expected</th><th>Result</th><th>Host</th><th>ACTIVE after</th><th>Result after</th></tr></thead>
<tbody>
${instances
  .map(
    (i) =>
      `<tr><td>${html(i.name)}</td><td>${html(i.task)}</td><td class="num">${html(i.expected)}</td><td><span class="o o-${i.ok ? 'pass' : 'fail'}">${i.ok ? 'OK' : 'FAIL'}</span> ${html(i.ok ? (i.result ?? '') : instanceOutcome(i))}</td><td>${html(i.host ?? '?')}</td><td class="num">${optionalSeconds(i.bootMs)}</td><td class="num">${optionalSeconds(i.resultMs)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  const banner = simulated
    ? '<div class="banner">SIMULATION — no real cloud was tested; checks that need one are skipped</div>'
    : '';
  const topology = options.topologySvg
    ? `<h2>Topology</h2><div class="topology">${inertSvg(options.topologySvg)}</div>`
    : '';
  const page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>lxdstack smoke report: ${html(report.suite)}${simulated ? ' (SIMULATION)' : ''}</title>
<style>${STYLE}</style></head>
<body>${banner}<main>
<h1>lxdstack smoke report${simulated ? ' — SIMULATION' : ''}</h1>
<div class="meta">Suite <b>${html(report.suite)}</b> against <code>${html(report.cloud)}</code>, started ${html(report.startedAt)}, took ${seconds(report.durationMs)} s</div>
<div class="verdict ${verdict(report).css}">${verdict(report).word}</div>
<div class="cards"><div class="card"><b>${s.pass}</b>passed</div><div class="card"><b>${s.fail}</b>failed</div><div class="card"><b>${s.skip}</b>skipped</div><div class="card"><b>${report.checks.length}</b>checks</div></div>
<h2>Failures</h2>
${failureBlock}
<h2>Checks</h2>
<table><thead><tr><th>Check</th><th>Area</th><th>Outcome</th><th>Time</th><th>Duration</th><th>Detail or cause</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="meta">Skipped checks could not run here; their reason is given. Skipped is never counted as passed.</p>
${instanceBlock}
${topology}
</main></body></html>
`;
  return redactText(page, options.secrets ?? []);
}

const FILE_NAMES: Record<ReportFormat, string> = {
  json: 'smoke-report.json',
  junit: 'smoke-report.junit.xml',
  html: 'smoke-report.html',
};

/** Write each requested format into outDir; returns the paths written. */
export async function writeReports(
  report: SmokeReport,
  formats: readonly ReportFormat[],
  outDir: string,
  options: RenderOptions = {},
): Promise<string[]> {
  const render: Record<ReportFormat, (r: SmokeReport, o: RenderOptions) => string> = {
    json: renderJsonReport,
    junit: renderJunitReport,
    html: renderHtmlReport,
  };
  const paths: string[] = [];
  for (const format of formats) {
    const path = join(outDir, FILE_NAMES[format]);
    await writeFileAtomic(path, render[format](report, options));
    paths.push(path);
  }
  return paths;
}
