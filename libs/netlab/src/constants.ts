// Limits and delays of libs/netlab, each with its unit.

/** Every ip/nft/kill command is killed after this long. */
export const COMMAND_TIMEOUT_MS = 10_000;
/** Nodes one lab may hold (host addresses .1-.250 of its /24). */
export const MAX_NODES = 250;
/** A lab prefix: a letter then 1-7 letters or digits, so `${prefix}w${i}` fits an interface name (15). */
export const PREFIX_PATTERN = /^[a-z][a-z0-9]{1,7}$/;
/** The underlay subnet of every lab (private to the lab's own namespaces): 192.168.<octet>.0/24. */
export const DEFAULT_SUBNET_OCTET = 77;
/** The bridge inside the lab namespace, and each node's underlay interface. */
export const BRIDGE_NAME = 'br0';
export const NODE_LINK_NAME = 'eth0';
/** nft tables the lab adds inside node namespaces. */
export const PARTITION_TABLE = 'fortros_lab_partition';
export const LOSS_TABLE = 'fortros_lab_loss';
/** After SIGKILL, how long a process may take to be gone before cleanup moves on. */
export const KILL_WAIT_MS = 5_000;
export const KILL_POLL_MS = 20;
/** Where wireguard-go keeps its control sockets. */
export const WIREGUARD_SOCKET_DIR = '/var/run/wireguard';
