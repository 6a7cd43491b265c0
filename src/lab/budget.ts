import { PROFILES, type HostBudget } from './profiles/index.js';
import type { LabSpec } from './schema.js';

// One budget per lab: the profile's table plus what each extra compute unit needs. The wizard's table,
// doctor's checks and deploy's preflight all judge the host against this. Pure.

/** Each extra compute unit hosts instances of its own: about 2 GiB RAM and 10 GiB disk more. */
const PER_EXTRA_COMPUTE = { ramGiB: 2, diskGiB: 10 };

export function labBudget(spec: Pick<LabSpec, 'profile' | 'sizing'>): HostBudget {
  const base = PROFILES[spec.profile].budget;
  const extra = Math.max(0, spec.sizing.computeUnits - 1);
  return {
    ...base,
    ramGiB: base.ramGiB + PER_EXTRA_COMPUTE.ramGiB * extra,
    diskGiB: base.diskGiB + PER_EXTRA_COMPUTE.diskGiB * extra,
  };
}

/** The lab's optional components that are on and cost RAM and disk: what advice may suggest turning off. */
export function heavyComponentsOn(spec: Pick<LabSpec, 'profile' | 'components'>): string[] {
  return Object.keys(PROFILES[spec.profile].components).filter(
    (c) => c !== 'dashboard' && spec.components[c as keyof LabSpec['components']],
  );
}
