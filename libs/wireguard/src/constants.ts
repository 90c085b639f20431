// Limits and delays of libs/wireguard, each with its unit.

/** Every wg/ip command is killed after this long. */
export const COMMAND_TIMEOUT_MS = 10_000;
/** How long a freshly spawned wireguard-go may take to create its interface. */
export const USERSPACE_START_TIMEOUT_MS = 10_000;
/** Poll interval while waiting for wireguard-go's interface to appear. */
export const USERSPACE_POLL_MS = 20;
/** After the interface is deleted, how long wireguard-go may take to exit before SIGKILL. */
export const USERSPACE_EXIT_TIMEOUT_MS = 5_000;
/** Bytes of a command's stderr kept in an error. */
export const MAX_STDERR_BYTES = 2_000;
/** Output of `wg show NAME dump` larger than this is refused (about 20 000 peers). */
export const MAX_DUMP_BYTES = 4 * 1024 * 1024;
/** Peers one interface may be given. */
export const MAX_PEERS = 4_096;
/** Allowed IPs one peer may be given. */
export const MAX_ALLOWED_IPS_PER_PEER = 256;
/** Linux's limit on interface names (IFNAMSIZ - 1). */
export const MAX_INTERFACE_NAME_LENGTH = 15;
/** Where wireguard-go keeps its control sockets (shared by every network namespace of a host). */
export const USERSPACE_SOCKET_DIR = '/var/run/wireguard';
/** A WireGuard key: 32 bytes. */
export const KEY_BYTES = 32;
/** Bounds of a listen port; 0 lets the backend pick one. */
export const MAX_PORT = 65_535;
/** Bounds of an interface MTU. */
export const MIN_MTU = 576;
export const MAX_MTU = 65_535;
