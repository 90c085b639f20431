// Every limit and delay of the key service, each named with its unit (STYLE §7).

/** Output length of a derived key when the request does not say, in bytes. */
export const DEFAULT_KEY_LENGTH_BYTES = 32;
/** Shortest derived key a caller may ask for, in bytes. */
export const MIN_KEY_LENGTH_BYTES = 16;
/** Longest derived key a caller may ask for, in bytes. */
export const MAX_KEY_LENGTH_BYTES = 64;
/** Key version when the request does not say. */
export const DEFAULT_KEY_VERSION = 1;
/** Highest key version: it is encoded as a u32. */
export const MAX_KEY_VERSION = 0xffff_ffff;
/** Purpose when the request does not say. */
export const DEFAULT_PURPOSE = 'default';
/** Longest service or purpose name, in UTF-8 bytes (the name pattern allows 63 ASCII characters). */
export const MAX_PURPOSE_BYTES = 63;
/** Service names, workload subjects and purposes: `[a-z0-9][a-z0-9._-]{0,62}`. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** The same pattern as text, for error messages and docs. */
export const NAME_PATTERN_TEXT = '[a-z0-9][a-z0-9._-]{0,62}';
/**
 * Key subject of a workload: `workload.<id>`. Services whose name starts with this prefix get no
 * keys, so a workload (org-controlled) can never derive a local service's keys or the reverse.
 */
export const WORKLOAD_SUBJECT_PREFIX = 'workload.';

/** Size of persist/keys/master.key, in bytes. */
export const MASTER_KEY_BYTES = 32;
/** Mode of persist/keys/master.key. */
export const MASTER_KEY_FILE_MODE = 0o600;
/** Mode of persist/keys/. */
export const MASTER_KEY_DIR_MODE = 0o700;
/** Hex characters of a key id or master key fingerprint (64 bits). */
export const FINGERPRINT_HEX_CHARS = 16;

/** Sustained derivations per second allowed to one caller identity (the bench needs ≥ 10k/s in aggregate). */
export const DERIVE_RATE_PER_SEC = 20_000;
/** Derivations one caller identity may make in a burst above its rate. */
export const DERIVE_BURST = 20_000;
/** Caller identities whose token buckets are remembered; the least recently used is evicted beyond this. */
export const MAX_TRACKED_CALLERS = 1024;
/**
 * Sustained calls per second allowed to one uid, every call counted (refused ones too, before any /proc walk or
 * directory fetch is spent on them): above one service's rate, so a uid running several services is not the bottleneck.
 */
export const UID_CALL_RATE_PER_SEC = 40_000;
/** Calls one uid may make in a burst above its rate. */
export const UID_CALL_BURST = 40_000;

/** keys.sock connections held at once, all uids together: below libs/rpc's MAX_CONNECTIONS, which is only a backstop. */
export const MAX_KEYS_CONNECTIONS = 1000;
/** Connections held at once by one uid other than root: one local user's excess is refused at accept. */
export const MAX_CONNECTIONS_PER_UID = 64;
/**
 * Connections all uids other than root may hold together: the rest of MAX_KEYS_CONNECTIONS stays for root, which
 * runs init's services, so no number of unprivileged users can lock them out.
 */
export const MAX_UNPRIVILEGED_CONNECTIONS = 768;
/** Connections one attributed service (or workload) may hold at once; beyond it its calls are refused and the connection closed. */
export const MAX_CONNECTIONS_PER_SERVICE = 64;
/** A connection with no call in flight for this long is closed, in ms (clients reconnect when they next call). */
export const KEYS_IDLE_CONNECTION_MS = 30_000;

/**
 * Shortest time between two warnings about the same refused caller pid, in ms: its first refusal is logged, the ones
 * after it are counted and reported in at most one line per interval.
 */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;
/** Refusal warnings written per REFUSAL_LOG_INTERVAL_MS across all callers (many pids); beyond it they are only counted. */
export const REFUSAL_LOG_MAX_LINES_PER_INTERVAL = 20;
/** Refused caller pids whose uncounted refusals are remembered; the least recently refused is evicted beyond this. */
export const MAX_TRACKED_REFUSED_CALLERS = 1024;

/** Entries accepted from the service directory (services + workloads) in one listing. */
export const MAX_DIRECTORY_ENTRIES = 4096;
/** How long a service directory listing is reused before it is fetched again, in ms. */
export const DIRECTORY_CACHE_MS = 1000;
/** Pids whose first-seen start time is remembered (when the directory gives none). */
export const MAX_FIRST_SEEN_PIDS = 4096;

/** Largest policy file accepted, in bytes. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;
/** Entries (services + workloads) in a policy file. */
export const MAX_POLICY_ENTRIES = 4096;
/** Purposes listed for one policy entry (also bounds ListPurposes). */
export const MAX_POLICY_PURPOSES = 256;

/**
 * Mode of keys.sock: any local process may connect, because authorization comes from attribution (SO_PEERCRED
 * and process ancestry), not from file modes; unprivileged workloads must be able to ask for their keys.
 */
export const KEYS_SOCKET_MODE = 0o666;
/** Deadline of one ListServices call to init, in ms. */
export const INIT_CALL_TIMEOUT_MS = 2_000;
/** Deadline of one ResolvePid call to the reconciler, in ms: a workload caller waits at most this for its answer. */
export const RECONCILER_CALL_TIMEOUT_MS = 1_000;
/** The service name of fortros-reconciler in the node tree: its descendants may be workloads. */
export const DEFAULT_WORKLOAD_PARENT = 'reconciler';
/** How long the reconciler's answer for one (pid, start time) is reused, in ms (a deleted workload loses its keys within it). */
export const WORKLOAD_CACHE_MS = 1_000;
/** (pid, start time) answers kept; the oldest is evicted beyond this. */
export const MAX_WORKLOAD_CACHE_ENTRIES = 1024;
