// Entry point of the simulated `juju` executable (dist/sim-bin/juju imports this module).
import { readFileSync } from 'node:fs';
import { runSimJuju } from './juju-cli.js';

function readAnswer(): string | undefined {
  if (process.stdin.isTTY) return undefined;
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return undefined;
  }
}

const argv = process.argv.slice(2);
const needsAnswer =
  ['destroy-model', 'destroy-controller', 'kill-controller'].includes(argv[0] ?? '') &&
  !argv.some((a) => a === '--no-prompt' || a === '-y' || a === '--yes');
const code = await runSimJuju(argv, process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  answer: needsAnswer ? readAnswer() : undefined,
});
process.exitCode = code;
