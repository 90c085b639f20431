// Limits and delays of the daemon skeleton, each with its unit.

/** Signals of one kind recorded before a handler is attached (a second SIGTERM may hurry a stop; more add nothing). */
export const MAX_EARLY_SIGNALS = 2;
/** Signals waiting for the daemon's loop; more are dropped (a stop is already on its way by then). */
export const SIGNAL_QUEUE_MAX = 64;
/** After main returns, longest wait for queued log lines to reach stderr before the process exits anyway, in ms. */
export const EXIT_FLUSH_TIMEOUT_MS = 500;
/** Longest wait for one component's stop() before the next one is stopped anyway, in ms. */
export const COMPONENT_STOP_TIMEOUT_MS = 10_000;
/** Most concurrent connections to the metrics endpoint. */
export const METRICS_MAX_CONNECTIONS = 64;
/** Period of the timer that keeps a daemon's event loop alive while it runs (it does nothing), in ms. */
export const KEEP_ALIVE_INTERVAL_MS = 3_600_000;
