// Every size, count and delay of the service log store, named with its unit (STYLE §7).

/** A service's `current` is rotated before it would exceed this many bytes (svlogd's `s`, default 1 MB). */
export const LOG_FILE_MAX_BYTES = 1_000_000;
/** Smallest accepted `maxFileBytes`: room for a timestamp, a truncated line and its marker (bytes). */
export const LOG_FILE_MIN_BYTES = 1_024;
/** Largest accepted `maxFileBytes` (bytes). */
export const LOG_FILE_MAX_BYTES_LIMIT = 1_024 * 1_024 * 1_024;
/** Rotated files kept per service (svlogd's `n`); the oldest beyond this are removed. */
export const LOG_FILES_MAX = 10;
/** Largest accepted `maxFiles` (count). */
export const LOG_FILES_MAX_LIMIT = 100_000;
/**
 * Longest line text stored (bytes, UTF-8, without timestamp and newline); longer lines are cut at a character
 * boundary and end with LOG_TRUNCATED_MARKER. Lowered further when `maxFileBytes` is small, so a line always
 * fits in one file.
 */
export const LOG_LINE_MAX_BYTES = 16 * 1_024;
/** Bytes of lines queued in memory per service (including the batch being written) before lines are dropped. */
export const LOG_QUEUE_MAX_BYTES = 512 * 1_024;
/** Largest accepted `maxQueueBytes` (bytes). */
export const LOG_QUEUE_MAX_BYTES_LIMIT = 256 * 1_024 * 1_024;
/** Most lines `tail` returns (and `fortctl logs -n` accepts). */
export const LOG_TAIL_MAX_LINES = 10_000;
/** Bytes read per step when `tail` reads a file backwards. */
export const LOG_READ_CHUNK_BYTES = 64 * 1_024;
/** Lines buffered for one slow `follow` reader before its oldest unread lines are dropped (count). */
export const LOG_FOLLOW_QUEUE_MAX_LINES = 10_000;
/** Most concurrent `follow` readers of one service log (count). */
export const LOG_FOLLOWERS_MAX = 64;
/** Most services one LogStore holds a log for (count). */
export const LOG_SERVICES_MAX = 4_096;

/** Name of the file lines are appended to (svlogd). */
export const LOG_CURRENT_FILE = 'current';
/** Mode of `current` and rotated files. */
export const LOG_FILE_MODE = 0o644;
/** Mode of a service's log directory. */
export const LOG_DIR_MODE = 0o755;

/** Text appended to a line cut at the line limit (ASCII, so its byte length is its length). */
export const LOG_TRUNCATED_MARKER = ' [fortros-init: line truncated]';
/** The line written where lines were dropped: `fortros-init: dropped N lines`. */
export const droppedMarker = (count: number): string => `fortros-init: dropped ${count} lines`;
