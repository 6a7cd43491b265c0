import type { CheckContext } from '../registry.js';

/** Why ping and SSH cannot be tried from here, if they cannot. */
export function unreachableBecause({
  facts,
  input,
}: Pick<CheckContext, 'facts' | 'input'>): string | undefined {
  if (facts.noDataPlane) return facts.noDataPlane;
  if (facts.networks === 'none')
    return 'the instance was booted without a network (Neutron has no agent that could bind a port)';
  if (!facts.floatingAddress) return 'no floating IP is associated with the instance';
  if (!input.floatingNetworkReachable) return 'this host has no route to the floating network';
  return undefined;
}
