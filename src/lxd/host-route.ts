import type { Ledger } from '../state/ledger.js';
import { JobError } from '../util/errors.js';
import { describeCommand, runCommand } from '../util/run.js';

// In the nested layout the cloud's API endpoints live on the inner bridge, behind the outer container.
// A host route to that network via the outer container lets configure, verify and the user's own
// clients reach them as Keystone's catalog names them; teardown removes the route.

export interface RouteAccess {
  replace(cidr: string, via: string): Promise<void>;
  /** Whatever the route goes via now (the outer container may have a new address after a restart). */
  remove(cidr: string): Promise<void>;
}

const routeArgv = (verb: 'replace' | 'del', cidr: string, via?: string) => [
  'route',
  verb,
  cidr,
  ...(via ? ['via', via] : []),
];

export const routeCommand = (verb: 'replace' | 'del', cidr: string, via?: string) =>
  describeCommand('ip', routeArgv(verb, cidr, via));

async function ip(args: string[], allowMissing: boolean): Promise<void> {
  const result = await runCommand('ip', args, { timeoutMs: 10_000 });
  if (result.exitCode === 0) return;
  // `ip route del` of a route that is already gone says "No such process".
  if (allowMissing && /No such process/.test(result.stderr)) return;
  throw new JobError(
    `\`${result.command}\` failed: ${result.stderr.trim() || `exit ${result.exitCode}`}; it needs root (run lxdstack as root) and iproute2.`,
  );
}

export const ipRoutes: RouteAccess = {
  replace: (cidr, via) => ip(routeArgv('replace', cidr, via), false),
  remove: (cidr) => ip(routeArgv('del', cidr), true),
};

/** Route `cidr` via `via`, recorded in the ledger first so that teardown removes it. */
export async function addHostRoute(
  ledger: Ledger,
  input: { cidr: string; via: string },
  routes: RouteAccess = ipRoutes,
): Promise<string> {
  const record = await ledger.beginResource({
    kind: 'host-route',
    name: input.cidr,
    data: { via: input.via },
  });
  await routes.replace(input.cidr, input.via);
  await ledger.commitResource(record.id);
  return routeCommand('replace', input.cidr, input.via);
}
