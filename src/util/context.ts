import type { Readable, Writable } from 'node:stream';
import type { CommandRunner } from './runner.js';

/** What every command gets besides its own options, so tests can run commands in-process. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** True when stdin and stdout are terminals: the wizard and the default listr2 renderer need it. */
  interactive: boolean;
  /** Aborted on Ctrl-C; long operations pass it down to their child processes. */
  signal: AbortSignal;
  /** Where juju and conjure-up run when not in an outer container; absent: processes on this host. */
  runner?: CommandRunner;
}

export function processContext(signal: AbortSignal): CommandContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI,
    signal,
  };
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}

/**
 * With --json, stdout carries one JSON document and nothing else: the command's words for people
 * (progress, summaries) go to stderr through this context instead.
 */
export function humanContext(ctx: CommandContext, json: boolean | undefined): CommandContext {
  return json ? { ...ctx, stdout: ctx.stderr } : ctx;
}

/** The one JSON document of a command run with --json. */
export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
