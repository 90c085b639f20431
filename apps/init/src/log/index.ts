// The service log store of fortros-init: per-service rotated log files (svlogd-style) or `--log stdout`.
export * from './constants.js';
export { InvalidServiceNameError, LogsNotStoredError, LogStoreClosedError } from './errors.js';
export { parseLine, truncateLine } from './log-line.js';
export type { LogClock, RotatingLogOptions } from './log-options.js';
export { LogStore, type LogOutput, type LogStoreOptions, type ServiceLog } from './log-store.js';
export { RotatingLog } from './rotating-log.js';
export type { FollowOptions, LogEntry, ServiceLogReader, ServiceLogSink, TailOptions } from './service-log.js';
export { StdoutLog } from './stdout-log.js';
export { dateFromTai64n, nanosFromTai64n, rotatedLabel, tai64nFromNanos } from '@fortros/log';
