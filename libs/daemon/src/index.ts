// The one daemon skeleton: Startable components, the signal loop, readiness, exit codes, Prometheus metrics, durable files.
export { daemonMain, runDaemon, DAEMON_SIGNALS, type CommonOptions, type DaemonContext, type DaemonIo, type DaemonParts, type DaemonProgram } from './run-daemon.js';
export { ComponentStack, startable, type Startable } from './startable.js';
export { SignalRouter, unusedSignals, type SignalSource } from './signal-router.js';
export { MetricsServer, newMetricsRegistry } from './metrics-server.js';
export { ExitCode } from './exit-codes.js';
export { parseDaemonArgs, type DaemonArgs } from './daemon-args.js';
export { parseChoiceFlag, parseListenFlag, parseNotifyFdFlag } from './listen-flag.js';
export { RefusedFileError, StopTimeoutError, UsageError } from './errors.js';
export { createFileOnce, syncDirectory } from './durable-file.js';
export { COMPONENT_STOP_TIMEOUT_MS, EXIT_FLUSH_TIMEOUT_MS, MAX_EARLY_SIGNALS } from './constants.js';
