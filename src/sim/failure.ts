/**
 * A simulated juju command failing the way juju does: the message goes to stderr as `ERROR <message>`
 * and the process exits with `exitCode` (1 when Run fails, 2 when flags or Init fail; juju-spec.md §4.1).
 */
export class SimCommandFailure extends Error {
  readonly exitCode: number;
  /** Some juju errors (unknown subcommand) print without the `ERROR ` prefix. */
  readonly bare: boolean;
  constructor(message: string, exitCode = 1, bare = false) {
    super(message);
    this.exitCode = exitCode;
    this.bare = bare;
  }
}
