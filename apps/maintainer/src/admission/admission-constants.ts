// Limits, sizes and delays of admission by token (ADMISSION.md), each with its unit.

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
