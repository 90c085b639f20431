// fortros.init.v1: the init control API (proto/fortros/init/v1/init.proto) and its generated types.
import { loadApi, type LoadedApi } from '../loader.js';
import type { InitHandlers } from '../generated/fortros/init/v1/Init.js';

export const INIT_PROTO = 'fortros/init/v1/init.proto';
export const INIT_SERVICE = 'fortros.init.v1.Init';
export const loadInitApi = (): LoadedApi<InitHandlers> => loadApi<InitHandlers>(INIT_PROTO, INIT_SERVICE);

export type { InitClient, InitHandlers } from '../generated/fortros/init/v1/Init.js';
export { ServiceState, type ServiceState__Output } from '../generated/fortros/init/v1/ServiceState.js';
export { ServiceType, type ServiceType__Output } from '../generated/fortros/init/v1/ServiceType.js';
export { ShutdownMode, type ShutdownMode__Output } from '../generated/fortros/init/v1/ShutdownMode.js';
export type { Service, Service__Output } from '../generated/fortros/init/v1/Service.js';
export type { Exit, Exit__Output } from '../generated/fortros/init/v1/Exit.js';
export type { Health, Health__Output } from '../generated/fortros/init/v1/Health.js';
export type { HealthResult, HealthResult__Output } from '../generated/fortros/init/v1/HealthResult.js';
export { HealthStatus, type HealthStatus__Output } from '../generated/fortros/init/v1/HealthStatus.js';
export type { Event, Event__Output } from '../generated/fortros/init/v1/Event.js';
export type { LogLine, LogLine__Output } from '../generated/fortros/init/v1/LogLine.js';
export type { Timeline, Timeline__Output } from '../generated/fortros/init/v1/Timeline.js';
export type { TimelineEntry, TimelineEntry__Output } from '../generated/fortros/init/v1/TimelineEntry.js';
export type { Graph, Graph__Output } from '../generated/fortros/init/v1/Graph.js';
export type { GraphNode, GraphNode__Output } from '../generated/fortros/init/v1/GraphNode.js';
export type { GraphEdge, GraphEdge__Output } from '../generated/fortros/init/v1/GraphEdge.js';
export type { ResolvePidResponse, ResolvePidResponse__Output } from '../generated/fortros/init/v1/ResolvePidResponse.js';
export type { Timestamp, Timestamp__Output } from '../generated/google/protobuf/Timestamp.js';
