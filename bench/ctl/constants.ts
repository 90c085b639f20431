// bench/ctl's sizes and limits, each with its unit.
/** Services each supervisor runs (bench/init's flat set sizes). */
export const SERVICES = 32;
export const SERVICES_QUICK = 8;
/** Calls of each command; the median is reported. */
export const CALLS = 20;
export const CALLS_QUICK = 10;
/** Deadline of one measured command (ms): a hung call fails the bench. */
export const CALL_TIMEOUT_MS = 30_000;
/** How long a supervisor may take to bring every service up (ms). */
export const UP_TIMEOUT_MS = 120_000;
