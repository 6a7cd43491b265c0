import { PassThrough } from 'node:stream';
import type { CommandContext } from '../../src/util/context.js';

/** An in-process command context whose output is captured, never a TTY. */
export function captureContext(
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  signal = new AbortController().signal,
) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const ctx: CommandContext = {
    cwd,
    env: { CI: '1', ...env },
    stdin: new PassThrough(),
    stdout,
    stderr,
    interactive: false,
    signal,
  };
  return { ctx, stdout: () => out.join(''), stderr: () => err.join('') };
}
