import test from 'ava';
import { mkdtemp, readFile, readdir, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRunReports } from '../../src/smoke/runs.js';
import type { SmokeReport } from '../../src/smoke/types.js';

function report(fail: number): SmokeReport {
  return {
    suite: 'quick',
    ok: fail === 0,
    simulated: false,
    startedAt: '2026-11-28T09:00:00.000Z',
    durationMs: 10,
    summary: { pass: 1, fail, skip: 0 },
    checks: [],
    cloud: 'http://127.0.0.1:5000/v3',
  };
}

test('each run keeps its own report folder and `latest` points at the newest', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'lxdstack-runs-'));
  const first = await writeRunReports(report(1), ['json'], root, {}, new Date('2026-11-28T09:00:00.000Z'));
  const second = await writeRunReports(
    report(0),
    ['json', 'html'],
    root,
    {},
    new Date('2026-11-28T10:30:00.000Z'),
  );
  t.deepEqual(first, [join(root, '2026-11-28T09-00-00.000Z', 'smoke-report.json')]);
  t.is(second.length, 2);
  t.deepEqual((await readdir(root)).sort(), [
    '2026-11-28T09-00-00.000Z',
    '2026-11-28T10-30-00.000Z',
    'latest',
  ]);
  t.is(await readlink(join(root, 'latest')), '2026-11-28T10-30-00.000Z');
  const latest = JSON.parse(await readFile(join(root, 'latest', 'smoke-report.json'), 'utf8')) as SmokeReport;
  t.is(latest.summary.fail, 0);
  const earlier = JSON.parse(await readFile(first[0]!, 'utf8')) as SmokeReport;
  t.is(earlier.summary.fail, 1, 'the earlier run was not overwritten');
});
