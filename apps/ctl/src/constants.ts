// fortctl's defaults and limits, each with its unit.
/** Root every node path hangs off when neither --root nor FORTROS_ROOT is given (DESIGN §3). */
export const DEFAULT_ROOT = '/';
/** Environment variable naming the root. */
export const ROOT_ENV = 'FORTROS_ROOT';
/** init's control socket, relative to the root. */
export const INIT_SOCKET_PATH = 'run/fortros/init.sock';
/** fortros-keys' socket, relative to the root (`key` commands). */
export const KEYS_SOCKET_PATH = 'run/fortros/keys.sock';
/** fortros-maintainer's local API socket, relative to the root (node, members, org, workload commands). */
export const MAINTAINER_SOCKET_PATH = 'run/fortros/maintainer.sock';
/** Largest spec file `workload put` reads, in bytes (the maintainer takes at most 256 KiB of JSON). */
export const WORKLOAD_FILE_MAX_BYTES = 1024 * 1024;
/** Deadline of one call unless --timeout says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Extra deadline given to a call that waits server-side (wait, start --wait), so init's own answer arrives first. */
export const WAIT_DEADLINE_GRACE_MS = 2_000;
/** Largest value of a uint32 request field (timeouts, line counts). */
export const MAX_UINT32 = 0xffff_ffff;
/** Log lines asked for when -n is not given (init's default too). */
export const DEFAULT_LOG_LINES = 10;
/** After the result is written, exit even if some handle would keep the process alive. */
export const FORCE_EXIT_AFTER_MS = 1_000;
/** fortros-reconciler's socket, relative to the root (workloads, workload logs). */
export const RECONCILER_SOCKET_PATH = 'run/fortros/reconciler.sock';
