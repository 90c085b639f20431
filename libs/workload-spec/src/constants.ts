// Bounds of workload specs and of the org document's checked strings, each with its unit (STYLE §8).

/** Longest id, name, label key or key purpose, in characters. */
export const ORG_NAME_MAX_CHARS = 63;
/** Longest free-text string (command, argument, env value, path, address, reason), in characters. */
export const ORG_TEXT_MAX_CHARS = 4096;
/** Most labels on a member or entries in a placement selector. */
export const ORG_LABELS_MAX = 64;

/** Most arguments of a workload command. */
export const WORKLOAD_ARGS_MAX = 256;
/** Most environment variables of a workload. */
export const WORKLOAD_ENV_MAX = 256;
/** Most key purposes a workload may derive. */
export const WORKLOAD_KEYS_MAX = 32;
/** Most nodes in an explicit placement list. */
export const WORKLOAD_PLACEMENT_NODES_MAX = 1024;
/** Most replicas of a selector placement. */
export const WORKLOAD_REPLICAS_MAX = 1024;
/** Memory of a vm workload that names none, in MiB. */
export const WORKLOAD_VM_MEMORY_DEFAULT_MIB = 512;
/** Memory bounds of a vm workload, in MiB. */
export const WORKLOAD_VM_MEMORY_MIN_MIB = 16;
export const WORKLOAD_VM_MEMORY_MAX_MIB = 1024 * 1024;
/** vCPUs of a vm workload that names none, and the most it may ask for. */
export const WORKLOAD_VM_CPUS_DEFAULT = 1;
export const WORKLOAD_VM_CPUS_MAX = 256;
/** Largest uid or gid a process workload may run as (Linux's uid_t, minus the invalid (uid_t)-1). */
export const WORKLOAD_ID_MAX = 2 ** 32 - 2;
