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

// The mesh rows: N fortros-init trees in network namespaces of a libs/netlab lab, on real WireGuard (wireguard-go).
/** Mesh cluster size (default / --quick), and the most --mesh-nodes accepts (netlab's MAX_NODES is 250). */
export const MESH_NODES = 32;
export const MESH_NODES_QUICK = 5;
export const MESH_NODES_MAX = 200;
/** The services of each mesh node's tree (a lighter node than examples/node: 32 full trees do not fit 2 cores). */
export const MESH_SERVICES = ['persist-mount', 'wireguard', 'maintainer'] as const;
/** How long one joining node may take to be ready, then converged (its view, and every other node's), in ms. */
export const MESH_JOIN_TIMEOUT_MS = 120_000;
/** Writes timed on the mesh (full / --quick). */
export const MESH_WRITES = 20;
export const MESH_WRITES_QUICK = 8;
/** The quiet window the underlay bytes are counted over, in ms (full / --quick). */
export const MESH_QUIET_WINDOW_MS = 20_000;
export const MESH_QUIET_WINDOW_QUICK_MS = 10_000;
/** Packet loss on the lab's bridge for the false-death window, per mille of the IP frames it forwards. */
export const MESH_LOSS_PER_MILLE = 100;
/** The lossy window, in ms (full / --quick). */
export const MESH_LOSS_WINDOW_MS = 30_000;
export const MESH_LOSS_WINDOW_QUICK_MS = 15_000;
/** How long the partition lasts (DESIGN §10: a 60 s partition), in ms. */
export const MESH_PARTITION_MS = 60_000;
/** Rounds of writes during the partition, one write on each side per round, spread over it. */
export const MESH_PARTITION_WRITE_ROUNDS = 3;
/** How long after healing every write may take to be everywhere and every node alive everywhere, in ms. */
export const MESH_HEAL_TIMEOUT_MS = 120_000;
/** How long every node may take to become converged again after the loss window, in ms. */
export const MESH_RECONVERGE_TIMEOUT_MS = 120_000;

// DESIGN §10's bars for the maintainer (32 nodes over real WireGuard).
export const BAR_JOIN_MS = 3_000;
export const BAR_WRITE_MEDIAN_MS = 200;
export const BAR_WRITE_MAX_MS = 1_000;
export const BAR_DEAD_MEDIAN_MS = 3_000;
export const BAR_FALSE_DEATHS = 0;
export const BAR_HEAL_MS = 10_000;
/** Bytes per second per node. */
export const BAR_BYTES_PER_S = 10_000;
