import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SimCommandFailure } from './failure.js';

// Flag parsing in the manner of juju's gnuflag: `--name value`, `--name=value`, short aliases,
// repeatable flags, `--` ends the flags; an unknown flag is `option provided but not defined` (exit 2).

export type FlagKind = 'bool' | 'value' | 'multi';

export interface FlagSpec {
  kinds: Record<string, FlagKind>;
  /** Short or alternate names → canonical long name (without dashes). */
  aliases?: Record<string, string>;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | string[]>;
  positional: string[];
  /** Everything after `--`. */
  rest: string[];
}

export function parseArgs(args: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') return { flags, positional, rest: args.slice(i + 1) };
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = (eq === -1 ? arg : arg.slice(0, eq)).replace(/^--?/, '');
    const name = spec.aliases?.[rawName] ?? rawName;
    const kind = spec.kinds[name];
    if (!kind)
      throw new SimCommandFailure(
        `option provided but not defined: ${arg.startsWith('--') ? '--' : '-'}${rawName}`,
        2,
      );
    if (kind === 'bool') {
      flags[name] = eq === -1 ? true : arg.slice(eq + 1) !== 'false';
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined) throw new SimCommandFailure(`flag needs an argument: ${arg}`, 2);
      value = next;
      i += 1;
    }
    if (kind === 'multi') flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else flags[name] = value;
  }
  return { flags, positional, rest: [] };
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function listFlag(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.flags[name];
  return Array.isArray(value) ? value : [];
}

export function boolFlag(parsed: ParsedArgs, name: string): boolean {
  return parsed.flags[name] === true;
}

/**
 * `k=v` pairs (as given to --config) into a map; a value without `=` names a YAML file of such pairs,
 * as juju's `--config FILE` does. A bad pair is a usage error.
 */
export function keyValues(pairs: readonly string[], flag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 && existsSync(pair)) {
      const doc = parse(readFileSync(pair, 'utf8')) as unknown;
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
        throw new SimCommandFailure(`invalid value "${pair}" for option --${flag}: not a YAML map`, 2);
      for (const [key, value] of Object.entries(doc)) result[key] = String(value);
      continue;
    }
    if (eq <= 0)
      throw new SimCommandFailure(`invalid value "${pair}" for option --${flag}: expected "key=value"`, 2);
    result[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return result;
}
