// fortctl's defaults and limits, each with its unit.
/** Root `npm start` boots from the repository (relative to the working directory): used when its init socket is there. */
export const DEV_ROOT = '.fortros/node';
/** Largest spec file `workload put` reads, in bytes (the maintainer takes at most 256 KiB of JSON). */
export const WORKLOAD_FILE_MAX_BYTES = 1024 * 1024;
/** Deadline of one call unless --timeout says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Extra deadline given to a call that waits server-side (wait, start --wait), so init's own answer arrives first. */
export const WAIT_DEADLINE_GRACE_MS = 2_000;
/** start/stop/restart without --wait: how long to wait for the service's next transition to report it (ms). */
export const STATE_AFTER_WAIT_MS = 2_000;
/** Largest value of a uint32 request field (timeouts, line counts). */
export const MAX_UINT32 = 0xffff_ffff;
/** Log lines asked for when -n is not given (init's default too). */
export const DEFAULT_LOG_LINES = 10;
/** After the result is written, exit even if some handle would keep the process alive. */
export const FORCE_EXIT_AFTER_MS = 1_000;
