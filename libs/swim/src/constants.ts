// Every timer and limit of the SWIM + Lifeguard core, with its unit; defaults of SwimOptions.

/** First byte of every packet. */
export const PROTOCOL_MAGIC = 0xf5;
/** Second byte of every packet; bumped on any incompatible wire change. */
export const PROTOCOL_VERSION = 1;

/** Time between two probes of this node (scaled by the local health multiplier). */
export const PROBE_INTERVAL_MS = 500;
/** Time to wait for a direct ack before asking relays (scaled by the local health multiplier). */
export const PROBE_TIMEOUT_MS = 200;
/** Number of relays asked to probe a silent member indirectly (ping-req). */
export const INDIRECT_CHECKS = 3;
/** Minimum suspicion timeout = SUSPICION_MIN_MULT * log10(max(n, 10)) * PROBE_INTERVAL_MS. */
export const SUSPICION_MIN_MULT = 3;
/** Maximum suspicion timeout = SUSPICION_MAX_MULT * minimum suspicion timeout. */
export const SUSPICION_MAX_MULT = 6;
/** Independent confirmations (k) after which a suspicion times out at its minimum. */
export const SUSPICION_CONFIRMATIONS = 3;
/** Each update is retransmitted RETRANSMIT_MULT * ceil(log10(n + 1)) times. */
export const RETRANSMIT_MULT = 4;
/** Time between two gossip rounds (only sent when updates are queued). */
export const GOSSIP_INTERVAL_MS = 200;
/** Members a gossip round is sent to. */
export const GOSSIP_FANOUT = 3;
/** Time between two anti-entropy full-state syncs with a random member (scaled up past 32 members). */
export const PUSH_PULL_INTERVAL_MS = 30_000;
/** Delay after a successful join before the first follow-up sync, and between two follow-up syncs (jittered ±25%). */
export const JOIN_FOLLOWUP_SYNC_MS = 500;
/** Full-state syncs with random alive members after a join, JOIN_FOLLOWUP_SYNC_MS (±25%) apart, at least. */
export const JOIN_FOLLOWUP_SYNCS = 4;
/**
 * Cap of the follow-up syncs after a join: past JOIN_FOLLOWUP_SYNCS they go on while the live member count grew since
 * the previous one (a staggered mass join still under way), up to this many (at 500 ms apart, about 10 s).
 */
export const JOIN_FOLLOWUP_SYNCS_MAX = 20;
/** Time between two join attempts while no seed has answered. */
export const JOIN_RETRY_MS = 1_000;
/** Cap of the join retry backoff (the delay doubles per unanswered round from JOIN_RETRY_MS). */
export const JOIN_RETRY_MAX_MS = 30_000;
/** Time between two reconnect pings to a random dead member (heals partitions). */
export const RECONNECT_INTERVAL_MS = 1_000;
/** Minimum time between two syncs this node starts toward the same address. */
export const SYNC_MIN_GAP_MS = 2_000;
/** How long a dead or left member is kept (and gossiped about) before it is forgotten. */
export const DEAD_RETENTION_MS = 300_000;
/** Upper bound of the local health multiplier (awareness score 0 .. LHM_MAX - 1). */
export const LHM_MAX = 8;

/** Largest packet sent or accepted, in bytes (fits a WireGuard tunnel on a 1500-byte MTU). */
export const MAX_PACKET_BYTES = 1400;
/** Most membership updates piggybacked on one packet. */
export const MAX_PIGGYBACK_UPDATES = 16;
/** Most members (including dead ones kept for retention) in one table. */
export const MAX_MEMBERS = 1024;
/** Most ping-req relays this node serves at once. */
export const MAX_PENDING_RELAYS = 256;
/** Most queued membership updates (one per member, newest wins). */
export const MAX_BROADCASTS = MAX_MEMBERS;
/** Most packets one sync exchange is split into. */
export const MAX_SYNC_CHUNKS = 256;

/** Bounds of the strings of a member record, in UTF-8 bytes. */
export const MAX_ID_BYTES = 64;
export const MAX_NAME_BYTES = 64;
export const MAX_ADDRESS_BYTES = 64;
/** Bounds of a member's meta map. */
export const MAX_META_ENTRIES = 8;
export const MAX_META_KEY_BYTES = 32;
export const MAX_META_VALUE_BYTES = 255;
/** Bound of a member's whole encoded meta map, in bytes. */
export const MAX_META_BYTES = 512;

/** Longest a graceful leave waits for its `left` update to be gossiped before stopping. */
export const LEAVE_TIMEOUT_MS = 2_000;

/**
 * The incarnation ceiling: no node starts, refutes or gossips above it, and updates above it are ignored. A node at
 * the ceiling stays there (it can no longer outbid rumours about itself, counted in stats.incarnationCeiling) and
 * restarts at the ceiling.
 */
export const MAX_INCARNATION = 0xfffffff0;
/**
 * Largest plausible step of a known member's incarnation in one update (restarts add INCARNATION_RESERVE + 1 each,
 * refutations and meta changes 1): an update further ahead of the incarnation held for that member (or for this node
 * itself) is ignored and counted in stats.implausible, so no message can push a node towards the ceiling in one go.
 */
export const MAX_INCARNATION_STEP = 1024;
/** Shortest time between two refutations of this node; rumours heard in between are outbid together, once. */
export const REFUTE_MIN_GAP_MS = 100;
/**
 * Incarnations the runner reserves on disk ahead of the one in use (it saves incarnation + this); a new bound is saved
 * once less than half is left, and a restart begins one above the saved bound.
 */
export const INCARNATION_RESERVE = 64;
/** Time before a failed save of the incarnation bound is tried again, in ms. */
export const INCARNATION_SAVE_RETRY_MS = 1_000;
/** Most packets held while they wait for a higher incarnation bound to be saved (the oldest are dropped beyond). */
export const MAX_HELD_PACKETS = 256;
/** Times per probe pass that a fresh suspect may jump to the front of a node's probe order (beyond its own turn). */
export const PROBE_JUMPS_PER_PASS = 3;
