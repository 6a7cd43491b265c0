import type { HostBudget } from '../lab/profiles/index.js';
import type { HostFacts } from './host-facts.js';

// The host budget shown before the wizard's last confirmation. Pure.

export interface BudgetRow {
  resource: string;
  needed: string;
  available: string;
  ok: boolean;
}

const round = (value: number) => (value >= 10 ? Math.round(value) : Math.round(value * 10) / 10);

/** The host against the lab's budget (labBudget: the same one doctor and deploy's preflight use). */
export function compareBudget(budget: HostBudget, facts: HostFacts): BudgetRow[] {
  const ram = budget.ramGiB;
  const disk = budget.diskGiB;
  return [
    {
      resource: 'CPU cores',
      needed: String(budget.cores),
      available: String(facts.cores),
      ok: facts.cores >= budget.cores,
    },
    {
      resource: 'RAM',
      needed: `${ram} GiB`,
      available: `${round(facts.ramGiB)} GiB`,
      ok: facts.ramGiB >= ram,
    },
    {
      resource: `Disk free (${facts.diskWhere})`,
      needed: `${disk} GiB`,
      available: `${round(facts.diskFreeGiB)} GiB`,
      ok: facts.diskFreeGiB >= disk,
    },
  ];
}

export function formatBudget(rows: readonly BudgetRow[]): string[] {
  const width = Math.max(...rows.map((r) => r.resource.length));
  return rows.map(
    (r) =>
      `  ${r.ok ? 'ok  ' : 'LOW '} ${r.resource.padEnd(width)}  needs ${r.needed.padEnd(7)} has ${r.available}`,
  );
}
