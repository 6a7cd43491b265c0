// The LXD area's public API, for the pipeline (preflight, "prepare LXD", teardown, logs) and commands.
export { createLxdClient, type LxdClient, type LxdClientOptions } from './client.js';
export { LxdApiError, findLxdSocket } from './transport.js';
export { lxcEquivalent } from './lxc.js';
export {
  checksPassed,
  evaluateChecks,
  type CheckResult,
  type CheckStatus,
  type HostChange,
  type HostFacts,
} from './checks.js';
export { runDoctorChecks, gatherFacts, type DoctorInput, type DoctorProbes } from './doctor.js';
export {
  applyDoctorFixes,
  applyHostChange,
  restoreHostChange,
  type AppliedFix,
  type SysctlAccess,
} from './host-changes.js';
export {
  prepareLxd,
  compareProfile,
  labBridgeConfig,
  type ModelProfile,
  type PrepareReport,
} from './prepare.js';
export {
  addDashboardProxy,
  createNestedHost,
  initInnerLxd,
  nestedHostLayout,
  startNestedHost,
  DASHBOARD_DEVICE,
  type NestedHostReport,
} from './nested.js';
export { execInInstance, removeInstance, waitForIpv4 } from './instances.js';
export {
  removeLabLxdResources,
  removeModelLeftovers,
  lxdLeftovers,
  lxdInventory,
  modelProfileName,
  LXD_RESOURCE_KINDS,
  type TeardownStep,
} from './teardown.js';
export type * from './types.js';
