// The workload messages by which charms wait for a deployment's post-deployment steps (vault's README
// steps and the certificates vault then issues; charm-behaviour.md §1-§5), and what to do about each.
// Pure: status, plan and the vault steps read them.

/** vault's status ladder before it issues certificates (vault_handlers.py `_assess_status`). */
export const VAULT_LADDER = {
  uninitialised: 'Vault needs to be initialized',
  sealed: 'Unit is sealed',
  unauthorised: 'Vault charm not yet authorized: run authorize-charm action.',
  noCa: 'Missing CA cert',
} as const;

/** Consumers of `vault:certificates` waiting for vault's CA (ovn-central, ovn-chassis, neutron-api-plugin-ovn). */
const AWAITING_CERTIFICATES = "'certificates' awaiting server certificate data";

/**
 * The advice for a unit whose message shows it waits for a post-deployment step; undefined for any
 * other message. `manual`: the lab unlocks vault by deploy's steps (vault.unlock: manual).
 */
export function postDeploymentAdvice(message: string, manual: boolean): string | undefined {
  const byDeploy = manual
    ? "run `lxdstack deploy`: its vault step initialises, unseals and authorises vault and makes the root CA (the charm README's post-deployment steps)"
    : 'vault.unlock is auto, so the charm does this itself within minutes; if it stays, set `vault: { unlock: manual }` and run `lxdstack deploy`';
  if (
    message.startsWith(VAULT_LADDER.uninitialised) ||
    message.startsWith(VAULT_LADDER.sealed) ||
    message.startsWith(VAULT_LADDER.unauthorised)
  ) {
    return `vault waits for its post-deployment steps: ${byDeploy}`;
  }
  if (message.startsWith(VAULT_LADDER.noCa)) {
    return `vault has no root CA yet (\`juju run vault/leader generate-root-ca\`): ${byDeploy}`;
  }
  if (message.includes(AWAITING_CERTIFICATES)) {
    return `waits for vault's certificates, which come once vault is unsealed and has a CA: ${byDeploy}`;
  }
  return undefined;
}
