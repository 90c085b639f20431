// Sizes and deadlines of the reconciler benchmark.

/** Nodes of a full run (DESIGN §10: deploy to all matching nodes of 32) and of `--quick`. */
export const NODES_FULL = 32;
export const NODES_QUICK = 5;
/** Most nodes `--nodes` accepts (each is a full init tree in its own namespace). */
export const NODES_MAX = 64;
/** Workloads on one node when the reconciler is killed (DESIGN §10), and with `--quick`. */
export const ADOPT_WORKLOADS = 100;
export const ADOPT_WORKLOADS_QUICK = 100;
/** The pure planner's movement run: members, workloads, replicas each. */
export const PLAN_MEMBERS = 32;
export const PLAN_WORKLOADS = 1_000;
export const PLAN_REPLICAS = 3;
/** Deadlines of one step on a loaded machine. */
export const STEP_TIMEOUT_MS = 300_000;
export const POLL_MS = 50;
/** Kernel clock ticks per second (`getconf CLK_TCK` on Linux x86-64): /proc/PID/stat start times are in ticks. */
export const CLOCK_TICKS_PER_S = 100;
/** DESIGN §10 bars. */
export const DEPLOY_BAR_MS = 1_000;
export const FIRST_RESTART_BAR_MS = 50;
