import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { renderLabYaml } from '../lab/labfile.js';
import { ADMIN_PASSWORD_FILE } from '../lab/credentials.js';
import type { LabSpec } from '../lab/schema.js';
import { JobError, errorMessage } from '../util/errors.js';
import { writeFileAtomic, writeOutputFile } from '../util/fs.js';
import { maskSecretAssignments, redactObject, redactText, secretsIn } from '../util/redact.js';
import { runCommand } from '../util/run.js';
import type { LabPorts } from './ports.js';

// `lxdstack logs`: one tarball with what someone needs to see why a lab misbehaves, and no secret: the
// spec (password masked), the lab folder's files (rendered bundle, ledger, reports, simulator state)
// with the admin password masked, juju status, debug-log excerpts, LXD profiles and instances.

/** Files of the lab folder never copied: the secret itself and the lock. */
const EXCLUDED = new Set([ADMIN_PASSWORD_FILE, 'lock']);
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const DEBUG_LOG_LINES = 500;

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (EXCLUDED.has(entry.name) || entry.name.endsWith('.tmp')) continue;
    out.push(path);
  }
  return out.sort();
}

async function capture(what: () => Promise<string>): Promise<string> {
  try {
    return await what();
  } catch (error) {
    return `(could not be collected: ${errorMessage(error)})\n`;
  }
}

export interface DiagnosticsInput {
  spec: LabSpec;
  labDirectory: string;
  ports: LabPorts;
  secrets: readonly string[];
  /** The tarball's path, or `-` for stdout. */
  output: string;
  stdout?: Writable;
  simulated: boolean;
  signal?: AbortSignal;
}

/** Files of the staged tarball that still hold a secret (the check before anything is written). */
async function filesWithSecrets(root: string, secrets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await listFiles(root)) {
    if (secretsIn(await readFile(file, 'utf8'), secrets) > 0) found.push(relative(root, file));
  }
  return found;
}

/** Collect, mask, check, pack; returns the list of files in the tarball. */
export async function writeDiagnostics(input: DiagnosticsInput): Promise<string[]> {
  const staging = await mkdtemp(join(tmpdir(), 'lxdstack-logs-'));
  const root = join(staging, `lxdstack-${input.spec.name}`);
  const mask = (text: string) => maskSecretAssignments(redactText(text, input.secrets));
  const put = async (name: string, text: string) => {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, mask(text), 0o600);
  };
  try {
    await put(
      'README.txt',
      [
        `Diagnostics of lab ${input.spec.name}, ${new Date().toISOString()}${input.simulated ? ' (SIMULATION: the lab runs on the built-in simulator)' : ''}.`,
        'spec.yaml: the lab spec; lab/: the lab folder (rendered files, ledger state.json, reports);',
        'juju-status.json, debug-log.txt: Juju; lxd.txt: LXD profiles and instances. Secrets are masked as ***.',
        '',
      ].join('\n'),
    );
    await put('spec.yaml', renderLabYaml(redactObject(input.spec) as unknown as Record<string, unknown>));
    for (const file of await listFiles(input.labDirectory)) {
      if ((await stat(file)).size > MAX_FILE_BYTES) continue;
      await put(join('lab', relative(input.labDirectory, file)), await readFile(file, 'utf8'));
    }
    const { controller, model } = input.spec;
    await put('juju-status.json', await capture(() => input.ports.juju.statusJson(controller, model)));
    await put(
      'debug-log.txt',
      await capture(() => input.ports.juju.debugLog(controller, model, DEBUG_LOG_LINES)),
    );
    await put('lxd.txt', await capture(() => input.ports.lxd.inventory()));
    const leaking = await filesWithSecrets(root, input.secrets);
    if (leaking.length > 0) {
      throw new JobError(
        `The diagnostics still hold a secret after masking (in ${leaking.join(', ')}); nothing was written. This is a bug in lxdstack's masking: please report it without the files.`,
      );
    }
    const files = (await listFiles(root)).map((f) => relative(staging, f));
    const packed = join(staging, 'diagnostics.tar.gz');
    const result = await runCommand('tar', ['-czf', packed, '-C', staging, `lxdstack-${input.spec.name}`], {
      timeoutMs: 60_000,
      timeoutHint: 'Is the disk very slow or full?',
      ...(input.signal ? { signal: input.signal } : {}),
    });
    if (result.exitCode !== 0) {
      throw new JobError(
        `tar could not pack the diagnostics: ${result.stderr.trim() || `exit ${result.exitCode}`}.`,
      );
    }
    await writeOutputFile(input.output, await readFile(packed), {
      mode: 0o600,
      ...(input.stdout ? { stdout: input.stdout } : {}),
    });
    return files;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
