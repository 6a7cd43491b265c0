import type { CharmBehaviour } from './types.js';

// vault 1.8 (charm-behaviour.md §1, openstack/charm-vault@stable/1.8 src/reactive/vault_handlers.py
// `_assess_status`): the first matching row wins. Rows 1-7, 10, 12-13 and 16-17 (invalid snap channel,
// vip/lb conflicts, series upgrade, start failures, raft settling, approle, load balancer, restarts) need
// faults the simulator does not model, so they are left out.

export const VAULT: CharmBehaviour = {
  charm: 'vault',
  tracks: ['*'],
  composition: 'first',
  checks: [
    {
      id: 'initialised',
      kind: 'row',
      when: { fact: 'initialised' },
      status: 'blocked',
      message: 'Vault needs to be initialized',
      source: '§1 row 8 (vault_handlers.py:904)',
    },
    {
      id: 'unsealed',
      kind: 'row',
      when: { fact: 'unsealed', scope: 'unit' },
      status: 'blocked',
      message: 'Unit is sealed',
      source: '§1 row 9 (vault_handlers.py:908)',
    },
    {
      id: 'authorised',
      kind: 'row',
      when: { fact: 'authorised' },
      status: 'blocked',
      message: 'Vault charm not yet authorized: run authorize-charm action.',
      source: '§1 row 11 (vault_handlers.py:927)',
    },
    {
      id: 'ca',
      kind: 'row',
      when: { all: [{ leader: true }, { related: 'certificates' }, { fact: 'ca' }] },
      status: 'blocked',
      message: 'Missing CA cert',
      source: '§1 row 14 (vault_handlers.py:952, :957)',
    },
    {
      id: 'shared-db',
      kind: 'relation',
      endpoint: 'shared-db',
      optional: true,
      source: '§1 row 15 (vault_handlers.py:963-969; optional groups :112-114)',
    },
  ],
  final: {
    leader: 'Unit is ready (active: true, mlock: disabled)',
    others: 'Unit is ready (active: false, mlock: disabled)',
    source: '§1 row 18 (vault_handlers.py:993-999; mlock is disabled in a container, :973)',
  },
  provides: {
    // publish_ca_info once unsealed and authorised, certificates once the CA exists (§1 "Certificates issued when")
    certificates: { afterChecks: ['initialised', 'unsealed', 'authorised'], afterFacts: ['ca'] },
  },
  automaticFacts: [
    {
      option: 'totally-unsecure-auto-unlock',
      sets: ['initialised', 'authorised'],
      unitSets: ['unsealed'],
      source: '§1 "Config shortcuts" (start_vault :585-599, vault.py prepare_vault :312-331)',
    },
    {
      option: 'auto-generate-root-ca-cert',
      sets: ['ca'],
      after: ['initialised', 'authorised'],
      source: '§1 "Config shortcuts" (auto_generate_root_ca_cert :1022-1047)',
    },
  ],
  ports: { http: ['8200/tcp'], source: '§1 post-deployment tasks (VAULT_ADDR http://<unit>:8200)' },
  // §1 "Actions involved" (charms/vault/1.8/actions.yaml; src/actions/actions.py). The `raises` lines are
  // what hvac raises when the charm's code talks to a sealed or unauthorised Vault (derived).
  actions: {
    'authorize-charm': {
      leaderOnly: 'Please run action on lead unit',
      required: ['token'],
      token: 'token',
      needs: [{ fact: 'unsealed', scope: 'unit', raises: 'hvac.exceptions.VaultDown: Vault is sealed' }],
      sets: ['authorised'],
      source: '§1 actions (actions.py:42-51)',
    },
    'generate-root-ca': {
      leaderOnly: 'Please run action on lead unit',
      needs: [
        { fact: 'unsealed', scope: 'unit', raises: 'hvac.exceptions.VaultDown: Vault is sealed' },
        { fact: 'authorised', raises: 'vault.VaultNotReady: Vault charm not yet authorized' },
      ],
      sets: ['ca'],
      returnsRootCa: true,
      source: '§1 actions (actions.py:108-129)',
    },
    'get-root-ca': { returnsRootCa: true, source: '§1 actions (actions.py:132-133)' },
  },
};
