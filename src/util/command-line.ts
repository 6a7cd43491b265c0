import { redactText } from './redact.js';

// How a command is shown to a person (dry-run output, hints, logs, errors): kept apart from run.ts so
// that code which only describes commands does not load execa.

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);

/** The command as a person would type it, with secrets masked. */
export function describeCommand(
  file: string,
  args: readonly string[],
  secrets: readonly string[] = [],
): string {
  return redactText([file, ...args].map(quote).join(' '), secrets);
}
