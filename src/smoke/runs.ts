import { rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReports, type RenderOptions, type ReportFormat } from './report.js';
import type { SmokeReport } from './types.js';

// Each smoke run keeps its reports in a folder of its own, named by when it ran, so a later run (deploy's
// verify step, then `lxdstack verify`) never overwrites an earlier one; `latest` points at the newest.

export const LATEST_RUN = 'latest';

/** `2026-11-28T09-47-17.123Z`: sorts by time, and is a valid file name everywhere. */
export function runFolderName(now: Date): string {
  return now.toISOString().replaceAll(':', '-');
}

/** Write the reports into `<root>/<when>/` and point `<root>/latest` at that folder; returns the paths written. */
export async function writeRunReports(
  report: SmokeReport,
  formats: readonly ReportFormat[],
  root: string,
  options: RenderOptions = {},
  now = new Date(),
): Promise<string[]> {
  const run = runFolderName(now);
  const paths = await writeReports(report, formats, join(root, run), options);
  // A relative link, replaced atomically: the folder can move, and a reader never sees no `latest`.
  const temp = join(root, `.${LATEST_RUN}.${process.pid}.tmp`);
  await rm(temp, { force: true });
  await symlink(run, temp);
  await rename(temp, join(root, LATEST_RUN));
  return paths;
}
