// @fortros/procfs: reads of /proc shared by init (reaping, pid attribution), libs/rpc and the key service.
export { parseProcStat, ProcFs, readProcStat, processStartTime, type ProcStat } from './proc-stat.js';
export { ProcessGoneError, ProcStatParseError } from './errors.js';
export { PinnedProcFs } from './pinned-proc-fs.js';
export { MAX_ANCESTRY_DEPTH, MAX_PINNED_STAT_FILES, PROC_STAT_READ_BYTES } from './constants.js';
