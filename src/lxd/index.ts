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
  poolAndBridgesMissing,
  preparePoolAndBridge,
  prepareLxd,
  compareProfile,
  labBridgeConfig,
  type ModelProfile,
  type PrepareReport,
} from './prepare.js';
export {
  addDashboardProxy,
  createNestedHost,
  nestedHostLayout,
  startNestedHost,
  DASHBOARD_DEVICE,
  type NestedHostReport,
} from './nested.js';
export {
  applyInnerProfile,
  innerBridgeCidr,
  provisionSteps,
  removeInnerModelLeftovers,
  runInnerSteps,
} from './inner-lxd.js';
export { lxdExecRunner, STAGE_DIR } from './exec-runner.js';
export { addHostRoute, ipRoutes, routeCommand, type RouteAccess } from './host-route.js';
export { execInInstance, imageSource, removeInstance, waitForIpv4 } from './instances.js';
export {
  removeLabLxdResources,
  removeModelLeftovers,
  lxdLeftovers,
  lxdInventory,
  LXD_RESOURCE_KINDS,
  type TeardownStep,
} from './teardown.js';
export { modelProfileName } from './lab-port.js';
export type * from './types.js';
