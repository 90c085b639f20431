// @fortros/reconciler: the planner, the drivers and their anchors (the daemon is assembled on top of these).
export * from './constants.js';
export * from './errors.js';
export type * from './spec.js';
export * from './plan/lifecycle.js';
export * from './plan/placement.js';
export * from './plan/planner.js';
