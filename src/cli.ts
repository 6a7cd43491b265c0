#!/usr/bin/env node
// The command table and the one error boundary. Each command's module is imported only when that
// command runs, so `lxdstack --help` stays fast.
import { PROFILE_NAMES } from './lab/profiles/index.js';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { processContext, type CommandContext } from './util/context.js';
import {
  DeclinedError,
  ExitCode,
  FileAccessError,
  InputError,
  LxdstackError,
  errorMessage,
  isFileSystemError,
} from './util/errors.js';
import { escapeControl } from './util/text.js';
import { appendLog } from './util/log.js';
import { packageRoot } from './util/paths.js';
import { redactStreamText, registerEnvironmentSecrets, registeredSecrets } from './util/redact.js';
import { killAllChildren } from './util/process-groups.js';

type Runner = (ctx: CommandContext) => Promise<number | void>;

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(run: (runner: Runner) => Promise<void>, ctx: CommandContext): Command {
  const program = new Command('lxdstack')
    .description('Stand up an OpenStack lab on LXD with Juju, and prove it works.')
    .version(version(), '-V, --version')
    .showSuggestionAfterError()
    .configureHelp({ sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    })
    .exitOverride();

  const answers = () => new Option('-a, --answers <file>', 'lab answers file (default: ./lab.yaml)');

  program
    .command('init')
    .description('guided set-up: ask a few questions and write lab.yaml')
    .addOption(answers())
    .option('-y, --yes', 'accept the defaults for anything not given')
    .addOption(new Option('-p, --profile <name>', 'lab profile').choices(PROFILE_NAMES))
    .option('-n, --name <name>', 'lab name')
    .addOption(new Option('-e, --engine <engine>', 'deployment engine').choices(['juju', 'conjure-up']))
    .option('-o, --output <file>', 'where to write the answers', 'lab.yaml')
    .option('--gen-config', 'print the commented lab.yaml template and exit')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((opts) => run(async (ctx) => (await import('./commands/init.js')).runInit(opts, ctx)));

  program
    .command('plan')
    .description('render the bundle, overlays and LXD profile, validate them, and show what deploy will do')
    .addOption(answers())
    .option('--json', 'machine-readable output')
    .action((opts) => run(async (ctx) => (await import('./commands/plan.js')).runPlan(opts, ctx)));

  program
    .command('deploy')
    .description('deploy the lab: preflight, LXD, controller, model, bundle, wait, configure, verify')
    .addOption(answers())
    .option('--simulate', 'use the built-in Juju simulator (always labelled SIMULATION)')
    .addOption(new Option('-e, --engine <engine>', 'deployment engine').choices(['juju', 'conjure-up']))
    .option('--dry-run', 'print every step and its exact command; run nothing')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((opts) => run(async (ctx) => (await import('./commands/deploy.js')).runDeploy(opts, ctx)));

  program
    .command('verify')
    .description('smoke-test the cloud: APIs, services, images, instances that compute')
    .addOption(answers())
    .addOption(
      new Option('--suite <suite>', 'which checks').choices(['quick', 'full', 'compute']).default('full'),
    )
    .option('--report <formats>', 'reports to write: json,junit,html (comma-separated)')
    .option(
      '--out <dir>',
      "where reports go (default: a folder per run in the lab's reports/, with a latest link)",
    )
    .option('--os-cloud <name>', 'verify the cloud named in clouds.yaml instead of the lab')
    .option('--simulate', 'verify a simulated lab')
    .option('--instances <n>', 'instances of the compute check, each computing its own result (default 3)')
    .option('--image <name>', "the image to boot (default: the lab's)")
    .option('--flavor <name>', "the flavor to boot (default: the lab's, else the smallest)")
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((opts) => run(async (ctx) => (await import('./commands/verify.js')).runVerify(opts, ctx)));

  program
    .command('status')
    .description("show the lab's applications, machines and what blocks readiness")
    .addOption(answers())
    .option('-m, --model <controller:model>', "the model to read (default: the lab's)")
    .option('--json', 'machine-readable output')
    .option('--simulate', 'read the simulated lab')
    .action((opts) => run(async (ctx) => (await import('./commands/status.js')).runStatus(opts, ctx)));

  program
    .command('teardown')
    .description('remove exactly what this lab created, newest first')
    .addOption(answers())
    .option('--keep-controller', 'keep the Juju controller')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--simulate', 'tear down a simulated lab')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((opts) => run(async (ctx) => (await import('./commands/teardown.js')).runTeardown(opts, ctx)));

  program
    .command('redeploy')
    .description('tear the model down (keeping the controller) and deploy again with the same answers')
    .addOption(answers())
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--simulate', 'redeploy a simulated lab')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((opts) => run(async (ctx) => (await import('./commands/redeploy.js')).runRedeploy(opts, ctx)));

  program
    .command('scale')
    .description('add or remove units, e.g. `lxdstack scale compute=3`, and wait for readiness')
    .argument('<assignment>', 'compute=N')
    .addOption(answers())
    .option('--simulate', 'scale a simulated lab')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((assignment, opts) =>
      run(async (ctx) => (await import('./commands/scale.js')).runScale({ ...opts, assignment }, ctx)),
    );

  program
    .command('doctor')
    .description('check this host for everything the lab needs; --fix applies the safe fixes')
    .addOption(answers())
    .option('--fix', 'apply the safe fixes, recording previous values so teardown restores them')
    .option('--json', 'machine-readable output')
    .option('--no-container-smoke', 'skip launching a throwaway container')
    .action((opts) => run(async (ctx) => (await import('./commands/doctor.js')).runDoctor(opts, ctx)));

  const bundle = program.command('bundle').description('work with Juju bundles');
  bundle
    .command('validate')
    .description("check a bundle (and overlays) with Juju's own rules, in Juju's words")
    .argument('<file>', 'bundle YAML')
    .option('--overlay <file>', 'overlay bundle (repeatable)', collect, [])
    .addOption(
      new Option('--juju <version>', "Juju flavour (default: the profile's, else 3)").choices(['2.9', '3']),
    )
    .option(
      '--charms <dir>',
      'charm metadata from DIR/<charm>/metadata.yaml instead of the catalogue (strict)',
    )
    .addOption(
      new Option('--profile <name>', 'catalogue tracks for cs: charms, as the profile names them').choices(
        PROFILE_NAMES,
      ),
    )
    .option('--json', 'print {"valid", "errors", "warnings", "unchecked"} on stdout, whatever happens')
    .action((file, opts) =>
      run(async (ctx) => (await import('./commands/bundle.js')).runBundleValidate({ ...opts, file }, ctx)),
    );

  program
    .command('graph')
    .description("draw the lab's topology as SVG (and DOT)")
    .addOption(answers())
    .option('-o, --output <file>', 'SVG file to write (DOT is written beside it)', 'lab-topology.svg')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((opts) => run(async (ctx) => (await import('./commands/graph.js')).runGraph(opts, ctx)));

  program
    .command('logs')
    .description('collect a diagnostics tarball (no secrets)')
    .addOption(answers())
    .option('-o, --output <file>', 'tarball to write')
    .option('--simulate', 'collect from a simulated lab')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((opts) => run(async (ctx) => (await import('./commands/logs.js')).runLogs(opts, ctx)));

  program
    .command('unlock')
    .description("remove the lab's lock when the lxdstack holding it is gone (says whose lock it was)")
    .addOption(answers())
    .option('--force', 'remove the lock even though its holder is still running')
    .action((opts) => run(async (ctx) => (await import('./commands/unlock.js')).runUnlock(opts, ctx)));

  program
    .command('demo')
    .description(
      'the whole lifecycle on the built-in simulator: tutorial profile, default answers, no questions',
    )
    .option('--dir <dir>', 'where the demo lab lives (default: a new temporary folder)')
    .option('--keep', 'leave the demo lab deployed (skip teardown)')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .action((opts) => run(async (ctx) => (await import('./commands/demo.js')).runDemo(opts, ctx)));

  return program;
}

const READ_SYSCALLS: ReadonlySet<string> = new Set([
  'read',
  'scandir',
  'stat',
  'lstat',
  'access',
  'readlink',
  'opendir',
]);

/** With --json, an error is the one JSON document on stdout too; the exit code stays what it would be. */
function writeJsonError(
  ctx: CommandContext,
  exitCode: number,
  message: string,
  details: readonly string[] = [],
): void {
  const code = (Object.keys(ExitCode) as (keyof typeof ExitCode)[]).find((key) => ExitCode[key] === exitCode);
  const error = { code: code ?? 'failure', exitCode, message, ...(details.length ? { details } : {}) };
  ctx.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
}

function reportError(error: unknown, ctx: CommandContext, json: boolean): number {
  if (error instanceof LxdstackError) {
    const message = escapeControl(error.message);
    const details = error.details.map(escapeControl);
    if (json) writeJsonError(ctx, error.exitCode, message, details);
    // Declining is an answer, not a failure: its message alone, no "error:".
    if (error instanceof DeclinedError) ctx.stderr.write(`${message}\n`);
    else ctx.stderr.write(`error: ${message}\n`);
    for (const line of details) ctx.stderr.write(`  - ${line}\n`);
    return error.exitCode;
  }
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError') {
    if (json) writeJsonError(ctx, ExitCode.interrupted, 'Interrupted; nothing was written.');
    ctx.stderr.write('Interrupted; nothing was written.\n');
    return ExitCode.interrupted;
  }
  // The OS refusing a file (permissions, a full or read-only disk, a folder in the way) is not a bug.
  if (isFileSystemError(error)) {
    const failure = new FileAccessError(
      READ_SYSCALLS.has(error.syscall ?? '') ? 'read' : 'write',
      error.path ?? '(unnamed file)',
      error,
    );
    return reportError(failure, ctx, json);
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const logPath = appendLog(
    'crash.log',
    `lxdstack ${process.argv.slice(2).join(' ')}\n${stack}`,
    registeredSecrets(),
  );
  const message = `unexpected failure (a bug in lxdstack): ${escapeControl(errorMessage(error).split('\n')[0] ?? '')}. ${logPath ? `The stack is in ${logPath}` : 'No crash log could be written'}`;
  if (json) writeJsonError(ctx, ExitCode.failure, message);
  ctx.stderr.write(`error: ${message}\n`);
  return ExitCode.failure;
}

/** Settings read from the environment, checked before any command acts on them. */
async function checkEnvironment(env: NodeJS.ProcessEnv): Promise<void> {
  // The checks (and zod) load only when a simulator setting is given: --help stays fast.
  if (!Object.keys(env).some((key) => key.startsWith('LXDSTACK_SIM_'))) return;
  const { simSettingsErrors } = await import('./sim/settings.js');
  const errors = simSettingsErrors(env);
  if (errors.length === 1) throw new InputError(`${errors[0]}.`);
  if (errors.length > 1)
    throw new InputError(`${errors.length} environment settings are not usable; fix them:`, {
      details: errors,
    });
}

/**
 * Run one command line in this context and return its exit code; every failure is reported on
 * ctx.stderr. main() runs it for the process; tests run it in-process with a captured context.
 */
export async function runCommandLine(argv: readonly string[], ctx: CommandContext): Promise<number> {
  // One JSON document on stdout with --json, errors included (options after `--` are not ours).
  const ours = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const json = ours.includes('--json');
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(async (runner) => {
    try {
      await checkEnvironment(ctx.env);
      exitCode = (await runner(ctx)) ?? ExitCode.ok;
    } catch (error) {
      exitCode = reportError(error, ctx, json);
    }
    if (ctx.signal.aborted && exitCode === ExitCode.ok) exitCode = ExitCode.interrupted;
  }, ctx);
  if (argv.length === 0) {
    // Bare `lxdstack` asks what there is: the help, on stdout, and success.
    ctx.stdout.write(program.helpInformation());
    return ExitCode.ok;
  }
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return ExitCode.ok;
      }
      if (error.code === 'commander.executeSubCommandAsync') return ExitCode.failure;
      // commander has printed its own message on stderr
      if (json) writeJsonError(ctx, ExitCode.usage, error.message.replace(/^error: /, ''));
      return ExitCode.usage;
    }
    return reportError(error, ctx, json);
  }
  return exitCode;
}

export async function main(argv: readonly string[]): Promise<number> {
  // One redaction set for the process: the environment's secrets now, the lab's as it is loaded.
  registerEnvironmentSecrets(process.env);
  redactStreamText(process.stdout);
  redactStreamText(process.stderr);
  const controller = new AbortController();
  const ctx = processContext(controller.signal);
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    controller.abort();
    killAllChildren('SIGTERM');
    // A second Ctrl-C, or SIGTERM, does not wait for a graceful stop.
    if (interrupts > 1 || signal === 'SIGTERM') process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `lxdstack ... | head` closes our stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
    throw error;
  });
  return runCommandLine(argv, ctx);
}

/** Whether Node runs this module as the program (also through npm's bin symlink), not as an import. */
function isProgram(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isProgram()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${errorMessage(error)}\n`);
      process.exitCode = ExitCode.failure;
    },
  );
}
