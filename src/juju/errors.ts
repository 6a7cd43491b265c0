import { JobError } from '../util/errors.js';

/**
 * A juju command that exited non-zero: its exit code, the `ERROR ...` line juju printed, and a sentence
 * saying what to do next.
 */
export class JujuError extends JobError {
  readonly jujuExitCode: number;
  /** The first `ERROR ...` line (without the prefix), or the last line of stderr when there was none. */
  readonly errorLine: string;
  readonly command: string;
  readonly hint: string;
  constructor(
    command: string,
    jujuExitCode: number,
    errorLine: string,
    hint: string,
    details: readonly string[] = [],
  ) {
    super(`\`${command}\` failed (exit ${jujuExitCode}): ${errorLine}. ${hint}`, { details });
    this.jujuExitCode = jujuExitCode;
    this.errorLine = errorLine;
    this.command = command;
    this.hint = hint;
  }
}

/** What juju said does not exist: the controller, the model or the application (juju-spec.md, NotFound). */
export type NotFoundKind = 'controller' | 'model' | 'application';

/** juju's NotFound for one thing; `name` is as juju printed it (`lxdstack:admin/openstack` for a model). */
export class JujuNotFoundError extends JujuError {
  readonly kind: NotFoundKind;
  /** The missing thing's name. */
  readonly notFound: string;
  constructor(kind: NotFoundKind, notFound: string, args: ConstructorParameters<typeof JujuError>) {
    super(...args);
    this.kind = kind;
    this.notFound = notFound;
  }
}

export class ControllerNotFoundError extends JujuNotFoundError {}
export class ModelNotFoundError extends JujuNotFoundError {}
export class ApplicationNotFoundError extends JujuNotFoundError {}
/** juju has no controller at all in its client data (`No controllers registered`). */
export class NoControllersError extends JujuError {}

/**
 * juju's NotFound lines, as jujuclient and the API print them: `controller <c> not found`,
 * `model <c>:<user>/<m> not found`, `application "<a>" not found` (possibly after a `cannot ...:` prefix).
 */
const NOT_FOUND: [RegExp, NotFoundKind, typeof JujuNotFoundError][] = [
  [/\bcontroller "?([^"\s]+)"? not found\b/, 'controller', ControllerNotFoundError],
  [/\bmodel "?([^"\s]+)"? not found\b/, 'model', ModelNotFoundError],
  [/\bapplication "?([^"\s]+)"? not found\b/, 'application', ApplicationNotFoundError],
];

/** The error for a failed juju command: typed by what was not found, when juju said so. */
export function jujuErrorFor(
  command: string,
  exitCode: number,
  errorLine: string,
  details: readonly string[] = [],
): JujuError {
  const args: ConstructorParameters<typeof JujuError> = [
    command,
    exitCode,
    errorLine,
    hintFor(errorLine, exitCode),
    details,
  ];
  for (const [pattern, kind, Type] of NOT_FOUND) {
    const match = pattern.exec(errorLine);
    if (match) return new Type(kind, match[1]!, args);
  }
  if (/No controllers registered/.test(errorLine)) return new NoControllersError(...args);
  return new JujuError(...args);
}

/** juju's message → what the person should do next; first match wins. */
const HINTS: [RegExp, string][] = [
  [
    /command not found|ENOENT/,
    'Install juju (e.g. `snap install juju --classic`) or set LXDSTACK_JUJU to its path; --simulate runs without it.',
  ],
  [
    /No controllers registered/,
    'Bootstrap a controller first (`lxdstack deploy` does), or check JUJU_DATA points at your juju client data.',
  ],
  [/No model in focus/, 'Name the model with -m CONTROLLER:MODEL.'],
  [/model .* not found/, 'Check the model name with `juju models`; it may have been destroyed already.'],
  [/controller .* not found/, 'Check the controller name with `juju controllers`.'],
  [
    /already exists/,
    'Pick another name, or reuse the existing one (re-running the same lxdstack step does).',
  ],
  [
    /the provided bundle has the following errors/,
    'Fix the listed bundle errors (`lxdstack bundle --validate` shows them too).',
  ],
  [/not a valid name/, 'Use lowercase letters, digits and hyphens only.'],
  [/unknown cloud/, 'Check the cloud name with `juju clouds`; for LXD it is `localhost`.'],
  [
    /option provided but not defined|flag needs an argument/,
    'This juju version does not accept that flag; check `juju version` against the supported 2.9 and 3.x.',
  ],
  [/aborted/, 'Confirm the prompt, or let lxdstack pass the no-prompt flag.'],
  [
    /connection is shut down|cannot connect|connection refused|i\/o timeout/,
    'The controller did not answer; check it is running (`lxc list`) and retry.',
  ],
  [/has live models/, 'Destroy the models first, or destroy the controller with all its models.'],
];

export function hintFor(errorLine: string, exitCode: number): string {
  for (const [pattern, hint] of HINTS) if (pattern.test(errorLine)) return hint;
  if (exitCode === 2)
    return 'juju rejected the command line; check `juju version` is a supported 2.9 or 3.x.';
  return "Run the command by hand to see juju's full output, and `juju debug-log` for details.";
}

/** The first `ERROR` line of juju's stderr (multi-line errors keep their continuation lines as details). */
export function errorLineOf(stderr: string): { line: string; details: string[] } {
  const lines = stderr.split('\n').map((l) => l.trimEnd());
  const index = lines.findIndex((l) => l.startsWith('ERROR '));
  if (index === -1) {
    const last = lines.filter((l) => l.trim() !== '').pop() ?? 'no error message';
    return { line: last, details: [] };
  }
  const rest = lines.slice(index + 1).filter((l) => l.trim() !== '' && !l.startsWith('ERROR '));
  return { line: lines[index]!.slice('ERROR '.length), details: rest };
}
