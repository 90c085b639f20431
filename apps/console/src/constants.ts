// fortros-console's limits and delays, each with its unit.

/** Where the console listens unless told otherwise (loopback: no account needed there). */
export const DEFAULT_LISTEN = '127.0.0.1:8480';
/** Open Server-Sent Events streams at once (log follows); one more is answered 503. */
export const MAX_SSE_CLIENTS = 16;
/** Open HTTP connections at once (server.maxConnections). */
export const MAX_HTTP_CONNECTIONS = 64;
/** Deadline of each unary call to a daemon (ms). */
export const DAEMON_CALL_TIMEOUT_MS = 3_000;
/** How often the readiness check asks init again while it does not answer (ms). */
export const INIT_PROBE_INTERVAL_MS = 200;
/** How often the page's script fetches the live part of a page again (ms). */
export const PAGE_REFRESH_MS = 2_000;
/** Log lines shown before following (ReadLogs `lines`). */
export const LOG_BACKLOG_LINES = 200;
/** Longest log line sent to a browser (characters; longer ones are cut and marked). */
export const MAX_LOG_LINE_CHARS = 4_096;
/** SSE comment sent on an idle stream so proxies and the browser keep it (ms). */
export const SSE_KEEPALIVE_MS = 15_000;
/** Longest request path + query accepted (characters). */
export const MAX_URL_CHARS = 2_048;
/** Largest token file read (bytes). */
export const MAX_TOKEN_FILE_BYTES = 4_096;
/** Shortest credential accepted from --token-file (characters). */
export const MIN_TOKEN_CHARS = 16;
/** Rows shown per table (services, members, workloads); more are counted, not drawn. */
export const MAX_TABLE_ROWS = 1_000;
/** Longest service or workload name accepted in a URL (characters). */
export const MAX_NAME_CHARS = 256;
