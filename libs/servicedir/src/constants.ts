// Defaults and bounds of the service-tree format, each named with its unit (STYLE §7).
import { NODE_PATHS } from '@fortros/core';

/** Service names, as DESIGN §4 states them. */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
/** The same pattern as text, for messages. */
export const SERVICE_NAME_PATTERN_TEXT = '[A-Za-z0-9][A-Za-z0-9._@-]*';
/** Longest service name (a directory name; most file systems stop at 255 bytes). */
export const MAX_SERVICE_NAME_LENGTH = 255;

/** `restart-delay-max`: cap of the restart backoff (ours; DESIGN §4). */
export const RESTART_DELAY_MAX_DEFAULT_MS = 30_000;
/** `timeout-up`: 0 = no limit (s6-rc's default). */
export const TIMEOUT_UP_DEFAULT_MS = 0;
/** `timeout-down`: 0 = no limit (s6-rc's default). */
export const TIMEOUT_DOWN_DEFAULT_MS = 0;
/**
 * `timeout-kill`: s6's default is 0 (never SIGKILL), but a supervisor that never escalates leaves processes
 * behind at shutdown, so a missing file means 5 s. An explicit `0` in the file still means never.
 */
export const TIMEOUT_KILL_DEFAULT_MS = 5_000;
/** `down-signal` when the file is missing. */
export const DOWN_SIGNAL_DEFAULT: NodeJS.Signals = 'SIGTERM';
/** Largest accepted ms value: the largest delay a Node.js timer can hold (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** `notification-fd` bounds: 0-2 are stdin/stdout/stderr; 1023 stays under the usual RLIMIT_NOFILE soft limit. */
export const NOTIFICATION_FD_MIN = 3;
export const NOTIFICATION_FD_MAX = 1023;

/** Most services in one tree, template instances and pipeline bundles included. */
export const MAX_SERVICES = 4096;
/** Largest setting file read (type, dependencies, timeouts, env values, …), in bytes. */
export const MAX_SETTING_FILE_BYTES = 64 * 1024;
/**
 * Largest oneshot `up`/`down` script read as text, in bytes: it is handed to `execlineb -c` as one argument,
 * and Linux refuses a single argument of 128 KiB or more (MAX_ARG_STRLEN, its NUL included).
 */
export const MAX_SCRIPT_FILE_BYTES = 128 * 1024 - 1;
/** Bytes of a script's start read to find its `#!` line (Linux's BINPRM_BUF_SIZE). */
export const MAX_SHEBANG_BYTES = 256;
/** Most `env/NAME` variables per service. */
export const MAX_ENV_VARS = 1024;
/** Longest quoted value echoed back in a message, in characters. */
export const MAX_QUOTED_VALUE_CHARS = 80;

/** Where the service tree lives under the node root (DESIGN §3). */
export const SERVICES_DIR_UNDER_ROOT = NODE_PATHS.servicesDir;

/** Health checks (ours; `health-*` files): defaults and bounds. The first check runs `health-start-period` + `health-interval` after ready. */
export const HEALTH_INTERVAL_DEFAULT_MS = 10_000;
export const HEALTH_TIMEOUT_DEFAULT_MS = 5_000;
/** Consecutive failures before the service counts as unhealthy and is restarted. */
export const HEALTH_RETRIES_DEFAULT = 3;
export const HEALTH_START_PERIOD_DEFAULT_MS = 0;
/** Shortest `health-interval` and `health-timeout`: checks more often than this only load the node. */
export const HEALTH_MIN_INTERVAL_MS = 100;
export const HEALTH_MIN_TIMEOUT_MS = 10;
export const HEALTH_RETRIES_MAX = 1000;
