// Every delay and limit of fortros-init, named with its unit (STYLE §7).

/** Least time between two spawns of a crashing longrun (s6: 1 s). */
export const RESTART_DELAY_MIN_MS = 1_000;
/** A run that stays up this long resets the backoff: its next crash counts as the first. */
export const RESTART_RESET_AFTER_MS = 60_000;
/** Consecutive fast restarts (each run shorter than RESTART_RESET_AFTER_MS) before a longrun is `failed`. */
export const CRASH_LOOP_MAX_RESTARTS = 10;
/** Longest a `finish` script may run before SIGKILL to its process group (s6's default: 5 s). */
export const FINISH_TIMEOUT_MS = 5_000;
/** Exit code of `finish` meaning "do not restart" (s6). */
export const FINISH_EXIT_NO_RESTART = 125;
/** Exit code `finish` receives as $1 when `run` was killed by a signal (s6). */
export const FINISH_ARG_KILLED_BY_SIGNAL = 256;
/** Exit code reported when a program could not be executed at all (as a shell reports it). */
export const EXIT_CODE_CANNOT_EXEC = 127;

/** At final shutdown, SIGKILL after this long when a service's timeout-kill is 0 (never), so shutdown ends. */
export const SHUTDOWN_KILL_AFTER_MS = 10_000;
/** After a second SIGTERM/SIGINT, SIGKILL comes at most this long after a service's down signal. */
export const HURRY_KILL_AFTER_MS = 1_000;
/** After shutdown, longest wait for queued log lines to reach stderr before the process exits anyway. */
export const EXIT_FLUSH_TIMEOUT_MS = 2_000;

/**
 * After the notification pipe closes without a newline, wait this long before calling it "never ready": the
 * process usually died, and its exit (a crash, restarted) must win over the pipe's EOF (a readiness failure).
 */
export const NOTIFY_EOF_GRACE_MS = 100;

/** A service output line longer than this is split (bytes). */
export const OUTPUT_LINE_MAX_BYTES = 8 * 1024;
/** Sustained output accepted from one stream of one service (bytes per second); more makes the service wait. */
export const OUTPUT_RATE_BYTES_PER_SEC = 256 * 1024;
/** Output burst accepted from one stream before the rate applies (bytes). */
export const OUTPUT_BURST_BYTES = 256 * 1024;

/** Most pending waiters (startService/stopService/shutdown promises) at once. */
export const MAX_WAITERS = 1_024;
/** Most queued inputs (process, timer and control events) before control requests are refused. */
export const MAX_QUEUED_CONTROL = 1_024;
/** Most reconcile passes after one batch of inputs (each pass moves at least one service). */
export const MAX_RECONCILE_PASSES_PER_SERVICE = 4;

// ---- control API (src/control) ----
/** Events one WatchEvents stream may have queued before it is ended with RESOURCE_EXHAUSTED. */
export const MAX_EVENT_BACKLOG = 10_000;
/** Concurrent WatchEvents / WaitService subscriptions. */
export const MAX_EVENT_SUBSCRIBERS = 256;
/** Lines `fortctl logs` shows when not told how many. */
export const DEFAULT_LOG_TAIL_LINES = 10;
/** Most lines one ReadLogs call may ask for. */
export const MAX_LOG_TAIL_LINES = 10_000;
/** How often init rescans /proc for orphan zombies besides SIGCHLD. */
export const REAP_INTERVAL_MS = 5_000;

// ---- rescan and log pipelines (src/supervisor) ----
/** Script files stat'ed at once when a rescan fingerprints the tree. */
export const RESCAN_PARALLEL_STATS = 16;
/** Rescans queued behind the one running before more are refused. */
export const MAX_QUEUED_RESCANS = 4;
/** Signals of one kind recorded before boot attaches its handler (a second SIGTERM hurries shutdown; more add nothing). */
export const MAX_EARLY_SIGNALS = 2;
/** The execline launcher that reads oneshot `up`/`down` files (found in the service's PATH; Debian: /usr/bin). */
export const EXECLINEB_PROGRAM = 'execlineb';
/** Orphans reaped in one synchronous pass before the reaper yields to the event loop. */
export const MAX_REAPED_PER_PASS = 1_000;
/** s6 compatibility (s6compat/): modes of `supervise/` and `event/` as s6-supervise makes them. */
export const S6_SUPERVISE_DIR_MODE = 0o700;
export const S6_EVENT_DIR_MODE = 0o3730;
/** s6-svc's control letters that send a signal (s6-supervise's table); u, d and r are start, stop, restart. */
export const S6_CONTROL_SIGNALS: Readonly<Record<string, NodeJS.Signals>> = {
  a: 'SIGALRM', b: 'SIGABRT', q: 'SIGQUIT', h: 'SIGHUP', k: 'SIGKILL', t: 'SIGTERM', i: 'SIGINT',
  '1': 'SIGUSR1', '2': 'SIGUSR2', p: 'SIGSTOP', c: 'SIGCONT', y: 'SIGWINCH',
};

// ---- health checks (src/health) ----
/** Health checks running at once across every service; more wait their turn (one per service at most). */
export const MAX_CONCURRENT_HEALTH_CHECKS = 8;
/** Bytes of an exec check's output kept for its result message (the rest is read and dropped). */
export const MAX_HEALTH_OUTPUT_BYTES = 4 * 1024;
/** Backoff of health restarts: extra delay before the first check after the 1st, 2nd … restart in a row (doubling). */
export const HEALTH_RESTART_BACKOFF_MIN_MS = 1_000;
export const HEALTH_RESTART_BACKOFF_MAX_MS = 300_000;
/** Characters of a check's message kept in status and reasons. */
export const MAX_HEALTH_MESSAGE_CHARS = 300;
