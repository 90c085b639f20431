// Limits of the /proc readers.
/** Ancestors walked from a process towards init before giving up. */
export const MAX_ANCESTRY_DEPTH = 64;
