import { delimiter, join } from 'node:path';
import { packageRoot } from '../util/paths.js';

/** The folder of the built simulator launchers (`juju`, `conjure-up`); `npm run build` writes it. */
export function simulatorBinDir(): string {
  return join(packageRoot(import.meta.url), 'dist', 'sim-bin');
}

/**
 * The environment that makes every juju (and conjure-up) call in a process tree hit the simulator with
 * its state in `stateDir` (for a lab: `.lxdstack/<lab>/sim`): the launchers first on PATH, LXDSTACK_JUJU
 * naming the juju launcher, LXDSTACK_SIM_DIR naming the state folder. NODE_EXTRA_CA_CERTS is left out:
 * the simulator makes no TLS connection, and Node parses every listed certificate at each start (about
 * 100 ms with a system bundle), which a readiness poll would pay on every `juju status`.
 */
export function simulatorEnv(stateDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const bin = simulatorBinDir();
  const { NODE_EXTRA_CA_CERTS: _notForTheSimulator, ...inherited } = base;
  return {
    ...inherited,
    PATH: [bin, base.PATH ?? ''].filter(Boolean).join(delimiter),
    LXDSTACK_JUJU: join(bin, 'juju'),
    LXDSTACK_CONJURE_UP: join(bin, 'conjure-up'),
    LXDSTACK_SIM_DIR: stateDir,
  };
}
