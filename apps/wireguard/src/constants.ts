// Defaults and limits of fortros-wireguard, each named with its unit (STYLE §8); paths are @fortros/core's NODE_PATHS.

/** The key file holds 44 base64 characters, optionally followed by one newline. */
export const KEY_FILE_MIN_BYTES = 44;
export const KEY_FILE_MAX_BYTES = 45;
/** Permission bits the key file may have beyond the owner's: none. */
export const KEY_FILE_FORBIDDEN_MODE_BITS = 0o077;
export const KEY_FILE_MODE = 0o600;
export const KEY_DIR_MODE = 0o700;
/** WireGuard's usual port, when --listen-port is not given. */
export const DEFAULT_LISTEN_PORT = 51820;
/** Lifecycle events waiting for the loop; beyond this extras are dropped (a stop request never is). */
export const MAX_PENDING_EVENTS = 64;
