import { resolve } from 'node:path';
import { writeDiagnostics } from '../pipeline/diagnostics.js';
import { openLab } from '../pipeline/session.js';
import { commandLabPorts } from '../pipeline/wiring.js';
import { humanContext, writeJson, writeLine, type CommandContext } from '../util/context.js';
import { counted } from '../util/text.js';

export interface LogsOptions {
  answers?: string;
  output?: string;
  simulate?: boolean;
  json?: boolean;
}

function stamp(): string {
  return new Date().toISOString().replaceAll(/[-:]/g, '').slice(0, 15);
}

/** `lxdstack logs`: a diagnostics tarball of the lab, secrets masked. Reads only; takes no lock. */
export async function runLogs(options: LogsOptions, ctx: CommandContext): Promise<number> {
  const session = await openLab(humanContext(ctx, options.json), {
    command: 'logs',
    readOnly: true,
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.simulate ? { simulate: true } : {}),
  });
  const given = options.output ?? `lxdstack-logs-${session.spec.name}-${stamp()}.tar.gz`;
  const output = given === '-' ? '-' : resolve(ctx.cwd, given);
  const files = await writeDiagnostics({
    spec: session.spec,
    labDirectory: session.dir,
    ports: commandLabPorts(session, ctx),
    secrets: session.secrets,
    output,
    stdout: ctx.stdout,
    simulated: session.simulated,
    signal: ctx.signal,
  });
  if (options.json)
    writeJson(ctx.stdout, { lab: session.spec.name, simulated: session.simulated, output, files });
  // With `-o -` the tarball is stdout: the note goes to stderr.
  else
    writeLine(
      output === '-' ? ctx.stderr : ctx.stdout,
      `Wrote ${output === '-' ? 'the tarball to standard output' : output} (${counted(files.length, 'file')}; secrets masked as ***).`,
    );
  return 0;
}
