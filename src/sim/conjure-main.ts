// Entry point of the simulated `conjure-up` executable (dist/sim-bin/conjure-up imports this module).
import { runSimConjureUp } from './conjure-cli.js';

process.exitCode = await runSimConjureUp(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
