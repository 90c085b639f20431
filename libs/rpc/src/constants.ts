// Limits and delays of the RPC plumbing, with their units.
/** Largest message a server or client accepts or sends. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Concurrent streams one connection may open. */
export const MAX_CONCURRENT_STREAMS = 256;
/** Connections one unix-socket server holds at once; further ones are closed at accept. */
export const MAX_CONNECTIONS = 1024;
/**
 * How long stop() waits for the gRPC server to shut down once every call in flight was aborted (at once, with
 * SERVER_STOPPING) before it forces the shutdown and cuts the connections.
 */
export const STOP_GRACE_MS = 2_000;
/** Default deadline of a client call when the caller gives none. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** Default mode of a server's unix socket. */
export const DEFAULT_SOCKET_MODE = 0o600;
