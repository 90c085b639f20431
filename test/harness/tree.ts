// Builds an s6-rc source tree on disk from a plain object, for black-box tests of fortros-init (apps/lab's writer).
export { removeServices, shInExecline, writeTree, type ServiceSpec, type TreeSpec } from '@fortros/lab/tree';
