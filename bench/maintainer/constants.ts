// Every size, count, delay and limit of the maintainer benchmark, with its unit.
/** Real-process cluster sizes (full run / --quick). */
export const REAL_SIZES = [8, 16, 32] as const;
export const REAL_SIZES_QUICK = [8] as const;
/** Simulated cluster sizes (full run / --quick). */
export const SIM_SIZES = [128, 512] as const;
export const SIM_SIZES_QUICK = [128] as const;
/** Packet loss levels of the false-suspicion rows. */
export const LOSS_LEVELS = [0, 0.1, 0.2] as const;

/** The UDP/TCP port every real node binds on its own 127.0.1.x address (inside the bench's network namespace). */
export const NETNS_PORT = 7946;
/** How long one real node may take to become ready, in ms (32 processes start on few cores). */
export const READY_TIMEOUT_MS = 120_000;
/** How long the real cluster may take to converge after the joins, in ms. */
export const CONVERGE_TIMEOUT_MS = 120_000;
/** Writes timed per real cluster (full / --quick). */
export const WRITES = 20;
export const WRITES_QUICK = 8;
/** How long one write may take to reach every node, in ms. */
export const WRITE_TIMEOUT_MS = 30_000;
/** How long every node may take to declare a killed node dead, in ms. */
export const DETECT_TIMEOUT_MS = 60_000;
/** Observation window per loss level, real processes, in ms (full / --quick). */
export const LOSS_WINDOW_MS = 20_000;
export const LOSS_WINDOW_QUICK_MS = 10_000;
/** Observation window per loss level in the simulator, virtual ms. */
export const SIM_LOSS_WINDOW_MS = 60_000;
/** Virtual ms a simulated cluster may take to converge (join, or after loss). */
export const SIM_CONVERGE_LIMIT_MS = 120_000;
/** Virtual ms every simulated node may take to declare a crashed node dead. */
export const SIM_DETECT_LIMIT_MS = 60_000;
/** Simulator seed (one seeded run per size: the figures are reproducible). */
export const SIM_SEED = 1;
/** How often the bench re-checks a condition it awaits (in-memory state only), in ms. */
export const POLL_MS = 5;
/** After SIGTERM at the end of a run, how long a node may take to exit before SIGKILL, in ms. */
export const STOP_GRACE_MS = 3_000;
/** Log lines of a node kept for failure reports. */
export const LOG_TAIL_LINES = 30;
