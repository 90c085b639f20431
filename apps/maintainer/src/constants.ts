// Tunables of fortros-maintainer: every delay and limit, each named with its unit (STYLE §7).

// ---- org state: document schema, workload specs, durable store, sync (src/org) ----

/** Overlay address range of an org whose settings do not name one (DESIGN §8). */
export const ORG_OVERLAY_RANGE_DEFAULT = '10.42.0.0/16';

/** Longest id, name, label key or key purpose, in characters. */
export const ORG_NAME_MAX_CHARS = 63;
/** Longest free-text string (command, argument, env value, path, address, reason), in characters. */
export const ORG_TEXT_MAX_CHARS = 4096;
/** Most labels on a member or entries in a placement selector. */
export const ORG_LABELS_MAX = 64;
/** Most conditions in one observed status. */
export const ORG_CONDITIONS_MAX = 32;

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

/** When the update log grows past this many bytes, the store writes a snapshot and starts a fresh log. */
export const ORG_STORE_COMPACT_LOG_BYTES = 4 * 1024 * 1024;
/** Largest record (one update, or the snapshot) the store writes or believes on reading, in bytes. */
export const ORG_STORE_MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** Queued-but-unwritten update bytes past which the queue is dropped and replaced by one snapshot. */
export const ORG_STORE_MAX_PENDING_BYTES = 16 * 1024 * 1024;

/** Largest sync message accepted or sent, in bytes (gRPC's default message limit). */
export const SYNC_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** How many random peers each new update is pushed to. */
export const SYNC_PUSH_FANOUT = 3;
/** Period of anti-entropy: a state-vector exchange with one random peer, in ms. */
export const ANTI_ENTROPY_INTERVAL_MS = 5_000;

/** Most entries the local API may create in each top-level map of the org document (remote peers are trusted). */
export const ORG_MEMBERS_MAX = 4096;
export const ORG_WORKLOADS_MAX = 10_000;
export const ORG_OBSERVED_MAX = 100_000;
