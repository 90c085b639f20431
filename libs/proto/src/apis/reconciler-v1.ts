// fortros.reconciler.v1: the reconciler's local API (proto/fortros/reconciler/v1/reconciler.proto).
import { loadApi, type LoadedApi } from '../loader.js';
import type { ReconcilerHandlers } from '../generated/fortros/reconciler/v1/Reconciler.js';

export const RECONCILER_PROTO = 'fortros/reconciler/v1/reconciler.proto';
export const RECONCILER_SERVICE = 'fortros.reconciler.v1.Reconciler';
export const loadReconcilerApi = (): LoadedApi<ReconcilerHandlers> => loadApi<ReconcilerHandlers>(RECONCILER_PROTO, RECONCILER_SERVICE);

export type { ReconcilerClient, ReconcilerHandlers } from '../generated/fortros/reconciler/v1/Reconciler.js';
export { WorkloadPhase, type WorkloadPhase__Output } from '../generated/fortros/reconciler/v1/WorkloadPhase.js';
export type { Exit, Exit__Output } from '../generated/fortros/reconciler/v1/Exit.js';
export type { WorkloadStatus, WorkloadStatus__Output } from '../generated/fortros/reconciler/v1/WorkloadStatus.js';
export type { ListWorkloadsRequest, ListWorkloadsRequest__Output } from '../generated/fortros/reconciler/v1/ListWorkloadsRequest.js';
export type { ListWorkloadsResponse, ListWorkloadsResponse__Output } from '../generated/fortros/reconciler/v1/ListWorkloadsResponse.js';
export type { GetWorkloadRequest, GetWorkloadRequest__Output } from '../generated/fortros/reconciler/v1/GetWorkloadRequest.js';
export type { ReadLogsRequest, ReadLogsRequest__Output } from '../generated/fortros/reconciler/v1/ReadLogsRequest.js';
export type { LogLine, LogLine__Output } from '../generated/fortros/reconciler/v1/LogLine.js';
export type { ResolvePidRequest, ResolvePidRequest__Output } from '../generated/fortros/reconciler/v1/ResolvePidRequest.js';
export type { ResolvePidResponse, ResolvePidResponse__Output } from '../generated/fortros/reconciler/v1/ResolvePidResponse.js';
