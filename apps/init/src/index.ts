// @fortros/init as a library: the Supervisor and its parts, for the control API and tests.
export { Supervisor, type SupervisorComponents, type SupervisorEvents, type ServiceStateChange, type CallOptions } from './supervisor/supervisor.js';
export type { ServiceStatus } from './service/service-status.js';
export type { ServiceTimeline } from './service/service-record.js';
export * from './service/lifecycle.js';
export type { Clock, TimerHandle } from './clock.js';
export { systemClock } from './clock.js';
export type { Spawner, SpawnRequest, SpawnedProcess } from './process/spawner.js';
export { createNodeSpawner } from './process/spawner.js';
export { parseSignal } from './process/signals.js';
export type { OutputFactory, OutputSink, OutputStream } from './output/output-sink.js';
export * from './errors.js';
export * from './constants.js';
