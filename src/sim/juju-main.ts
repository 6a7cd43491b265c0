// Entry point of the simulated `juju` executable (dist/sim-bin/juju imports this module).
// Environment:
//   LXDSTACK_SIM_DIR           state folder (required): state.json, its lock, faults.json
//   LXDSTACK_SIM_JUJU_VERSION  the juju it pretends to be, e.g. 2.9.46 or 3.6.1 (default 3.6.1)
//   LXDSTACK_SIM_SPEED         simulated seconds per real second; 0 settles at once (default 100:
//                              a whole OpenStack bundle settles in 1-2 s)
//   LXDSTACK_SIM_FAULTS        JSON faults merged with faults.json (see faults.ts)
//   LXDSTACK_SIM_CONFINEMENT   strict|classic: whether juju reads files as the strictly confined snap does
//                              (default: strict for 3.x, classic for 2.9; see confinement.ts)
import { readFileSync } from 'node:fs';
import { runSimJuju } from './juju/dispatch.js';

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
