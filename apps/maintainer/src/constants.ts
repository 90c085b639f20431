// Tunables of fortros-maintainer: every delay and limit, each named with its unit (STYLE §7).

// ---- org state: document schema, workload specs, durable store, y-sync sessions (src/org) ----

/** Overlay address range of an org whose settings do not name one (DESIGN §8). */
export const ORG_OVERLAY_RANGE_DEFAULT = '10.42.0.0/16';

// Name, text and label bounds, and the workload spec bounds, live with the validators in @fortros/workload-spec.
/** Most conditions in one observed status. */
export const ORG_CONDITIONS_MAX = 32;

/** When the update log grows past this many bytes, the store writes a snapshot and starts a fresh log. */
export const ORG_STORE_COMPACT_LOG_BYTES = 4 * 1024 * 1024;
/** Largest record (one update, or the snapshot) the store writes or believes on reading, in bytes. */
export const ORG_STORE_MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** Queued-but-unwritten update bytes past which the queue is dropped and replaced by one snapshot. */
export const ORG_STORE_MAX_PENDING_BYTES = 16 * 1024 * 1024;

/** Largest y-sync message accepted or sent, in bytes (gRPC's default message limit). */
export const YSYNC_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** How many random peers each new update is pushed to. */
export const REPLICATION_PUSH_FANOUT = 6;
/** Period of anti-entropy: a state-vector exchange with one random peer, in ms. */
export const ANTI_ENTROPY_INTERVAL_MS = 1_000;
/**
 * Most members that came (back) to life a node exchanges state with at once, per ANTI_ENTROPY_INTERVAL_MS; the others
 * wait for anti-entropy and pushes. A healed partition revives half the members on every node at once: a link each
 * would be hundreds of connections across the mesh while SWIM needs the CPU to settle, and one exchange across the
 * cut is enough for the relays to carry the rest.
 */
export const REVIVED_SYNCS_PER_INTERVAL = 2;

/** Most entries the local API may create in each top-level map of the org document (remote peers are trusted). */
export const ORG_MEMBERS_MAX = 4096;
export const ORG_WORKLOADS_MAX = 10_000;
export const ORG_OBSERVED_MAX = 100_000;

// ---- the daemon (src/node, src/membership, src/replication, src/api) ----

/** Gossip (UDP) and OrgSync (TCP) address when --bind is not given (--mesh none). */
export const DEFAULT_BIND = '127.0.0.1:7946';
/** The underlay (WireGuard UDP, admission TCP) when --bind is not given (--mesh wireguard): WireGuard's usual port. */
export const DEFAULT_MESH_BIND = '127.0.0.1:51820';
/** The WireGuard interface the maintainer drives by default (the `wireguard` service's, examples/node). */
export const DEFAULT_INTERFACE = 'fortros0';
/** Largest etc/fortros/node.json or --join-token @FILE read, in bytes. */
export const NODE_CONFIG_MAX_BYTES = 64 * 1024;
/** Most --join seeds. */
export const MAX_JOIN_SEEDS = 64;
/** Most --label flags. */
export const MAX_LABELS = 8;

/** Log a still-waiting line this often while the node is not yet ready, in ms. */
export const READINESS_LOG_INTERVAL_MS = 5_000;
/** Initial-sync attempts: first retry delay, and the cap of its doubling backoff, in ms. */
export const INITIAL_SYNC_RETRY_MIN_MS = 200;
export const INITIAL_SYNC_RETRY_MAX_MS = 5_000;
/** How long a leaving node keeps gossiping its departure before it stops, in ms. */
export const LEAVE_TIMEOUT_MS = 2_000;

/** Most peer links (outbound and inbound together); the least recently used outbound one is closed past it. */
export const MAX_PEER_LINKS = 64;
/** A link with no traffic for this long is closed, in ms. */
export const PEER_LINK_IDLE_MS = 60_000;
/** Messages queued on one link waiting for the transport; past it the link is reset (anti-entropy repairs). */
export const PEER_LINK_MAX_QUEUED = 256;
/** An inbound link's caller must name itself (hello) within this long, in ms; else the link is closed. */
export const PEER_LINK_HELLO_TIMEOUT_MS = 5_000;
/** How often links are checked against PEER_LINK_IDLE_MS and PEER_LINK_HELLO_TIMEOUT_MS, in ms. */
export const PEER_LINK_SWEEP_MS = 1_000;
/** Reconnect backoff toward one peer after a failed link: first delay and cap, in ms. */
export const REPLICATION_RECONNECT_MIN_MS = 250;
export const REPLICATION_RECONNECT_MAX_MS = 10_000;
/** Most peers whose reconnect backoff is remembered. */
export const REPLICATION_BACKOFF_MAX_PEERS = 4096;

/** Most invalid-content log lines per ORG_BAD_CONTENT_LOG_WINDOW_MS (the rest are counted and summarised). */
export const ORG_BAD_CONTENT_LOG_MAX = 10;
/** Window of the invalid-content log rate limit, in ms. */
export const ORG_BAD_CONTENT_LOG_WINDOW_MS = 60_000;
/** Most distinct invalid entries remembered (so each is counted once); older ones are forgotten first. */
export const ORG_BAD_CONTENT_REMEMBERED_MAX = 4_096;
/** While the disk is full, how often the store tries to write again (a snapshot of the whole document), in ms. */
export const ORG_STORE_FULL_RETRY_MS = 1_000;

/** After a failed write of this node's own member record (a full disk), how long until it is tried again, in ms. */
export const SELF_RECORD_RETRY_MS = 1_000;

/** Largest org document GetOrg returns as JSON, in bytes (under the RPC message limit). */
export const ORG_JSON_MAX_BYTES = 3 * 1024 * 1024;
/** Largest spec or status JSON the local API accepts, in bytes. */
export const API_JSON_MAX_BYTES = 256 * 1024;
/** Events queued for one watcher; a watcher that falls further behind is ended with RESOURCE_EXHAUSTED. */
export const WATCH_QUEUE_MAX = 4_096;
/** Most concurrent watch streams of each kind. */
export const MAX_WATCHERS = 256;

/** Test-only fault injection: how often the drop-list file is checked for changes, in ms. */
export const FAULT_FILE_POLL_MS = 100;
/** Most addresses in the test-only drop list. */
export const FAULT_MAX_PEERS = 1024;

// ---- the mesh (src/mesh) ----

/** TCP and UDP port of SWIM and OrgSync on the overlay address (never the underlay). */
export const OVERLAY_PORT = 7946;
/**
 * The WireGuard peers are reconciled on every membership event (SWIM state, member records); this periodic pass is
 * the safety net (a dead member's grace running out, an interface recreated while membership stood still), in ms.
 */
export const MESH_RESYNC_INTERVAL_MS = 15_000;
/** While the interface is missing (wireguard-go restarting), how soon the next pass looks for it again, in ms. */
export const MESH_MISSING_RETRY_MS = 1_000;
/**
 * How long a member SWIM holds dead or left stays a WireGuard peer, in ms: 24 h, like serf's reconnect timeout. Both
 * sides of a partition hold the other dead, and a rebooting node has left; WireGuard drops every packet of a peer it
 * no longer has, so a shorter grace would turn a long partition or a slow reboot into a permanent split.
 */
export const MESH_PEER_REMOVE_GRACE_MS = 24 * 60 * 60 * 1000;
/** Most "dropped traffic not from a member" warnings: one per this interval, in ms. */
export const MESH_DROP_LOG_INTERVAL_MS = 10_000;
/** Most peers an admission answer names (besides the issuer). */
export const MESH_ANSWER_PEERS = 8;
/** WireGuard persistent keepalive toward every peer, in s (keeps NAT mappings and handshakes warm). */
export const MESH_KEEPALIVE_S = 25;
/** Largest persist/maintainer/mesh.json read, in bytes. */
export const MESH_STATE_MAX_BYTES = 64 * 1024;

// ---- admission by token (src/admission, ADMISSION.md) ----

/** Version prefix of a join token string: the first of its five '/'-separated fields. */
export const TOKEN_PREFIX = 'fortros-token-v1';
/** Bytes of a token's secret (256 bits; DESIGN §8 asks for ≥ 128). */
export const TOKEN_SECRET_BYTES = 32;
/** Bytes of a token's public id (printed as twice as many lowercase hex characters). */
export const TOKEN_ID_BYTES = 8;
/** Longest join token string accepted, in characters. */
export const TOKEN_MAX_CHARS = 512;
/** Longest `host:port` in a token or a hello, in characters. */
export const ADDRESS_MAX_CHARS = 255;

/** Default lifetime of a new token, in ms (`--ttl 1h`). */
export const TOKEN_TTL_DEFAULT_MS = 60 * 60 * 1000;
/** Shortest and longest lifetime `token create` accepts, in ms. */
export const TOKEN_TTL_MIN_MS = 1_000;
export const TOKEN_TTL_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** Default and largest use count of a token. */
export const TOKEN_USES_DEFAULT = 1;
export const TOKEN_USES_MAX = 1_000;
/** Most token records the store holds (live, expired or used up, until pruned). */
export const TOKEN_STORE_MAX = 1_024;
/** How long an expired or used-up record is kept (so a late joiner hears "expired"/"used up", not "unknown"), in ms. */
export const TOKEN_RETAIN_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;
/** Largest token record file read at startup, in bytes. */
export const TOKEN_FILE_MAX_BYTES = 4 * 1024;

/** Bytes of each side's nonce, of a proof, of the derived keys. */
export const NONCE_BYTES = 32;
export const PROOF_BYTES = 32;
export const DERIVED_KEY_BYTES = 32;

/** Most peers an answer carries. */
export const ANSWER_MAX_PEERS = 64;
/** Largest admission message either side sends or accepts, in bytes (the underlay server's gRPC limit). */
export const ADMISSION_MAX_MESSAGE_BYTES = 16 * 1024;
/** Each step (hello, challenge, proof, answer) must arrive within this long, in ms. */
export const ADMISSION_STEP_TIMEOUT_MS = 10_000;
/** A whole join call's deadline on the joiner's side, in ms. */
export const ADMISSION_CALL_TIMEOUT_MS = 30_000;
/** Join streams the issuer serves at once; more are refused (rate limited) at their hello. */
export const ADMISSION_MAX_CONCURRENT = 64;

/** Failed joins one source address may make within the window before it is refused outright. */
export const ADMISSION_FAILURES_PER_SOURCE = 5;
/** The window those failures are counted in, in ms. */
export const ADMISSION_FAILURE_WINDOW_MS = 60_000;
/** Most source addresses whose failures are remembered (least recently failed forgotten first). */
export const ADMISSION_MAX_SOURCES = 4_096;
