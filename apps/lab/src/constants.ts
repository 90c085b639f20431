// Limits, delays and fixed names of fortros-lab and its library, each with its unit.

/** The underlay port: WireGuard UDP and admission TCP. */
export const UNDERLAY_PORT = 51820;
/** SWIM and OrgSync on the overlay (apps/maintainer OVERLAY_PORT). */
export const OVERLAY_PORT = 7946;
/** How long a node's maintainer (or another awaited service) may take to be ready on a loaded machine. */
export const NODE_READY_MS = 90_000;
/** How long the maintainer may take to come up under init (a service's timeout-up). */
export const MAINTAINER_TIMEOUT_UP_MS = 60_000;
/** Until every node sees every member live. */
export const CONVERGE_MS = 60_000;
/** After SIGKILL of a node's processes, until they are all gone. */
export const KILL_WAIT_MS = 30_000;
/** After SIGTERM to an init at `down`, until it is killed instead. */
export const TERM_GRACE_MS = 15_000;
/** One fortctl call, before it is called hung and killed. */
export const FORTCTL_TIMEOUT_MS = 30_000;
/** How often a poll looks again. */
export const POLL_INTERVAL_MS = 100;
/** A `fortctl org token create` in a lab prints one line; more is refused. */
export const TOKEN_LINES = 1;
/** Nodes one `up` may start (each runs a full node tree: keep it to what one machine carries). */
export const MAX_LAB_NODES = 32;
/** Where labs keep their state when neither --state-dir nor FORTROS_LAB_STATE_DIR says: RAM, gone at reboot like the namespaces and processes it describes. */
export const DEFAULT_STATE_BASE = '/run/fortros-lab';
export const STATE_DIR_ENV = 'FORTROS_LAB_STATE_DIR';
/** The state file inside a lab's directory, its node roots and init logs. */
export const STATE_FILE = 'lab.json';
export const NODES_DIR = 'nodes';
export const STATE_VERSION = 1;
/** Largest state file read (bytes): a lab of MAX_LAB_NODES fits many times over. */
export const MAX_STATE_BYTES = 1_048_576;
/** Lines of a node's init log shown when it fails to boot. */
export const LOG_TAIL_LINES = 20;
/** Default lab names are `lab1`, `lab2`, … up to this. */
export const MAX_DEFAULT_LABS = 99;
/** fortros-console's port on the loopback of each lab node's namespace (its default). */
export const NODE_CONSOLE_PORT = 8480;
/** `fortros-lab console` serves on the host from this port on (the first free one) when --port is not given. */
export const HOST_CONSOLE_PORT = 8480;
/** Ports tried from HOST_CONSOLE_PORT on before `console` gives up. */
export const HOST_CONSOLE_PORT_TRIES = 100;
/** Connections one relay carries at once (a browser opens a handful, plus one per log stream). */
export const RELAY_MAX_CONNECTIONS = 64;
/** The line the relay inside a namespace prints once it listens. */
export const RELAY_LISTENING = 'listening';
/** Until the relay inside a node's namespace listens. */
export const RELAY_START_MS = 30_000;
/** The largest TCP port. */
export const MAX_PORT = 65_535;
