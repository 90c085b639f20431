// Paths, defaults and limits of fortros-wireguard, each named with its unit (STYLE §8).

/** The node root when neither --root nor $FORTROS_ROOT says (DESIGN §3). */
export const DEFAULT_ROOT = '/';
export const ROOT_ENV = 'FORTROS_ROOT';
/** The node's WireGuard private key, under the root (DESIGN §3, §8). */
export const PRIVATE_KEY_PATH = 'persist/wireguard/private.key';
/** The key file holds 44 base64 characters, optionally followed by one newline. */
export const KEY_FILE_MIN_BYTES = 44;
export const KEY_FILE_MAX_BYTES = 45;
/** Permission bits the key file may have beyond the owner's: none. */
export const KEY_FILE_FORBIDDEN_MODE_BITS = 0o077;
export const KEY_FILE_MODE = 0o600;
export const KEY_DIR_MODE = 0o700;
/** WireGuard's usual port, when --listen-port is not given. */
export const DEFAULT_LISTEN_PORT = 51820;
/** After the last log line, how long to wait for stderr to drain before exiting anyway. */
export const EXIT_FLUSH_TIMEOUT_MS = 2_000;
/** Lifecycle events waiting for the loop; beyond this extras are dropped (a stop request never is). */
export const MAX_PENDING_EVENTS = 64;
