// @fortros/reconciler: the planner, the drivers and their anchors, and the daemon assembled on top of them.
export * from './constants.js';
export * from './errors.js';
export type * from './spec.js';
export * from './plan/lifecycle.js';
export * from './plan/placement.js';
export * from './plan/planner.js';
export * from './driver/driver.js';
export { AnchoredDriver, ANCHOR_SCRIPT, type AnchoredDriverOptions } from './driver/anchored-driver.js';
export { exitFromStatus, parseAnchorState, readAnchorState, type AnchorState } from './driver/anchor-state.js';
export { ProcessBackend, type ProcessBackendOptions } from './driver/process-backend.js';
export { OciBackend, type OciBackendOptions } from './driver/oci-backend.js';
export { VmBackend, pickAccelerator, type Accelerator, type VmBackendOptions } from './driver/vm-backend.js';
export { qmpExecute } from './driver/qmp.js';
export { ReconcilerDaemon, type ReconcilerDaemonOptions, type ReconcilerDaemonComponents } from './daemon/reconciler-daemon.js';
