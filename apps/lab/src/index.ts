// @fortros/lab: lab clusters of full FortrOS nodes in network namespaces (the library under fortros-lab and this repo's multi-node tests).
export * from './binaries.js';
export * from './constants.js';
export * from './errors.js';
export { LabCluster, type AddNodeOptions, type InitLauncher, type LabClusterNode, type LabClusterOptions, type LaunchPlace, type OrgJson } from './cluster.js';
export { createToken, ctl, ctlOk, nodeInfo, type CtlResult, type NodeJson } from './fortctl.js';
export { DetachedInit, killNamespace, namespacePids, running, stopInit, type DetachedStart, type NodeInit } from './node-process.js';
export { nodeTree, reconcilerServices, type NodeTreeOptions } from './node-tree.js';
export { poll, type PollOptions } from './poll.js';
export { removeServices, shInExecline, writeTree, type ServiceSpec, type TreeSpec } from './service-tree.js';
