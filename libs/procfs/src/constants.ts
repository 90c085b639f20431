// Limits of the /proc readers.
/** Ancestors walked from a process towards init before giving up. */
export const MAX_ANCESTRY_DEPTH = 64;
/** /proc/PID/stat files PinnedProcFs keeps open (least recently used closed first). */
export const MAX_PINNED_STAT_FILES = 64;
/** Buffer for one /proc/PID/stat read, in bytes (a stat line is well under 1 KiB: 52 numbers and a ≤ 64-byte comm). */
export const PROC_STAT_READ_BYTES = 4096;
