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

export function compareBudget(budget: HostBudget, facts: HostFacts, computeUnits = 1): BudgetRow[] {
  // Each extra compute unit hosts instances of its own: about 2 GiB RAM and 10 GiB disk more.
  const extra = Math.max(0, computeUnits - 1);
  const ram = budget.ramGiB + 2 * extra;
  const disk = budget.diskGiB + 10 * extra;
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
      resource: `Disk free (${facts.diskPath})`,
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
