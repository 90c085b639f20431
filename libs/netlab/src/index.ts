// libs/netlab: network-namespace labs (bridge, node namespaces, partitions, loss) and their cleanup.
export * from './constants.js';
export * from './errors.js';
export { CleanupRegistry, sweep, type CleanupItem } from './cleanup-registry.js';
export { Lab, type LabNode, type LabOptions } from './lab.js';
export { alive, listNetns, run, type RunOptions } from './exec.js';
export { lossChains, nftReplaceScript, parseNetnsList, partitionChains, partitionPlan, type Addressed } from './rules.js';
