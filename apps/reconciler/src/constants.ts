// Every delay and limit of the reconciler, with its unit (STYLE §8).

/** The first restart of a run that was up happens at once; later ones wait this long, doubling… */
export const RESTART_BACKOFF_MIN_MS = 1_000;
/** …up to this cap. */
export const RESTART_BACKOFF_MAX_MS = 60_000;
/** A run that stayed up this long resets the backoff: its exit counts as the first of a new streak. */
export const RESTART_BACKOFF_RESET_MS = 10 * 60_000;
/** From this many exits in a row without a run that reset the backoff, the reason says "crash loop". */
export const CRASH_LOOP_EXITS = 5;

/** Most workloads one planner pass considers (desired specs and local records together). */
export const MAX_WORKLOADS = 10_000;
/** Most members placement hashes over. */
export const MAX_MEMBERS = 4_096;

/** Graceful stop: the workload gets its stop signal (or ACPI powerdown), then SIGKILL after this long. */
export const STOP_TIMEOUT_MS = 10_000;
/** How long a driver waits for a fresh anchor to report its workload's pid. */
export const ANCHOR_START_TIMEOUT_MS = 10_000;
/** Poll interval while waiting on an anchor's state file or a process to go. */
export const ANCHOR_POLL_MS = 20;
/** Largest state file an anchor writes (a few numbers); anything larger is corrupt. */
export const ANCHOR_STATE_MAX_BYTES = 4_096;

/** Workload logs (s6-log's `s`/`n` directives): bytes per file before rotation, rotated files kept. */
export const WORKLOAD_LOG_FILE_MAX_BYTES = 1_000_000;
export const WORKLOAD_LOG_FILES_MAX = 10;

/** PATH given to a workload whose spec sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Container names: `<node prefix>-<workload id>`; runc allows [\w+-.] up to this length (ours). */
export const CONTAINER_NAME_MAX = 128;
/** QMP answers are small; a line longer than this is refused. */
export const QMP_LINE_MAX_BYTES = 65_536;
/** How long to wait for QMP to answer a command. */
export const QMP_TIMEOUT_MS = 5_000;

// ---- the daemon ----

/** Paths under the node root beside @fortros/core's NODE_PATHS (DESIGN §3). The drivers' anchors, one directory per kind (RAM). */
export const ANCHOR_STATE_PATH = 'run/fortros/reconciler';
/** Workload logs, one directory per workload. */
export const WORKLOAD_LOG_PATH = 'var/log/fortros/workloads';
/** While this file exists the node is draining: nothing is wanted, nothing starts (fortros-workloads-drain). */
export const DRAIN_FLAG_PATH = 'run/fortros/reconciler/draining';
/** reconciler.sock: root on the node is the administrator (DESIGN §11). */
export const RECONCILER_SOCKET_MODE = 0o600;

/**
 * A pass runs at least this often, the safety net behind the drivers' watches (inotify on the anchors' state files,
 * which is how exits are noticed): it sees what writes no state (a run lost with its anchor) and anything a watch missed.
 */
export const RESYNC_INTERVAL_MS = 2_000;
/** Reconnecting to the maintainer (or probing the key service): the first retry waits this long, doubling… */
export const RECONNECT_MIN_MS = 100;
/** …up to this cap. */
export const RECONNECT_MAX_MS = 5_000;
/** Timeout of one call to the maintainer or the key service. */
export const CALL_TIMEOUT_MS = 5_000;
/** Most observed-status reports sent to the maintainer at once (one pass's changes are sent in chunks of this). */
export const REPORT_CONCURRENCY = 16;
/** How long fortros-workloads-drain waits for every workload to be gone. */
export const DRAIN_TIMEOUT_MS = 60_000;

/** ReadLogs: lines when the request names none, and at most. */
export const LOG_LINES_DEFAULT = 10;
export const LOG_LINES_MAX = 10_000;
/** Longest log line returned (s6-log lines are cut by nothing else); longer ones are cut. */
export const LOG_LINE_MAX_BYTES = 65_536;
/** ReadLogs follow: how often `current` is checked for growth or rotation. */
export const LOG_FOLLOW_POLL_MS = 100;
/** Bytes read from a log file at a time. */
export const LOG_READ_CHUNK_BYTES = 65_536;
