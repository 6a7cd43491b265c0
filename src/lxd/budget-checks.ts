import type { CheckResult, CheckStatus, HostFacts } from './checks.js';

// The host against the lab's budget (lab/budget.ts): cores, RAM, swap and the pool's free disk. Pure.

const GiB = 1024 ** 3;
const gib = (bytes: number) => `${Math.round((bytes / GiB) * 10) / 10} GiB`;

/** Below the budget: works but slowly (warn); below half of it: the deployment will not settle (fail). */
function budgetStatus(have: number, want: number): CheckStatus {
  if (have >= want) return 'pass';
  return have >= want / 2 ? 'warn' : 'fail';
}

export function checkCores(facts: HostFacts, want: number): CheckResult {
  const status = budgetStatus(facts.cores, want);
  return {
    id: 'cpu',
    title: 'CPU cores',
    status,
    measured: `${facts.cores} cores (the profile budgets ${want})`,
    ...(status === 'pass'
      ? {}
      : { fix: `Give the host at least ${want} cores; with fewer, hooks time out and deploys take hours.` }),
  };
}

/** Advice to turn off only what this lab has on. */
const orTurnOff = (heavy: readonly string[]) =>
  heavy.length ? `, or turn off components (${heavy.join(', ')}) in lab.yaml` : '';

export function checkMemory(facts: HostFacts, wantGiB: number, heavy: readonly string[]): CheckResult {
  const status = budgetStatus(facts.memTotalBytes / GiB, wantGiB);
  return {
    id: 'memory',
    title: 'RAM',
    status,
    measured: `${gib(facts.memTotalBytes)} (the profile budgets ${wantGiB} GiB)`,
    ...(status === 'pass'
      ? {}
      : {
          fix: `Give the host at least ${wantGiB} GiB of RAM${orTurnOff(heavy)}.`,
        }),
  };
}

export function checkSwap(facts: HostFacts, wantGiB: number): CheckResult {
  const measured = facts.swapTotalBytes > 0 ? `${gib(facts.swapTotalBytes)} of swap` : 'no swap';
  const tight = facts.memTotalBytes / GiB < wantGiB;
  if (facts.swapTotalBytes === 0 && tight) {
    return {
      id: 'swap',
      title: 'Swap',
      status: 'warn',
      measured,
      fix: 'RAM is below the budget and there is no swap: add a swap file (fallocate -l 8G /swapfile; mkswap /swapfile; swapon /swapfile).',
    };
  }
  return { id: 'swap', title: 'Swap', status: 'pass', measured };
}

export function checkDisk(
  facts: HostFacts,
  wantGiB: number,
  pool: string,
  heavy: readonly string[],
): CheckResult {
  const title = `Free disk on pool ${pool}`;
  if (facts.poolFreeBytes === undefined)
    return {
      id: 'disk',
      title,
      status: 'warn',
      measured: 'unknown: the pool could not be read',
      fix: `Check \`lxc storage info ${pool}\`.`,
    };
  const status = budgetStatus(facts.poolFreeBytes / GiB, wantGiB);
  return {
    id: 'disk',
    title,
    status,
    measured: `${gib(facts.poolFreeBytes)} free (the profile budgets ${wantGiB} GiB)`,
    ...(status === 'pass'
      ? {}
      : {
          fix: `Free space or grow the pool's disk to at least ${wantGiB} GiB${orTurnOff(heavy)}.`,
        }),
  };
}
