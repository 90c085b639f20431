// Every path of a node (DESIGN §3), relative to one root, named in this one place.
import { join, resolve } from 'node:path';

/** The environment variable that names the node root when --root is not given. */
export const ROOT_ENV = 'FORTROS_ROOT';
/** The node root when neither --root nor FORTROS_ROOT is given. */
export const DEFAULT_ROOT = '/';

/** The paths under the root, as DESIGN §3 lists them. Join them with a root through nodePaths(). */
export const NODE_PATHS = {
  /** The service tree, s6-rc source format. */
  servicesDir: 'etc/fortros/services',
  /** The node config. */
  nodeConfig: 'etc/fortros/node.json',
  /** Persistent state. */
  persistDir: 'persist',
  /** The key service's master key and its directory. */
  keysDir: 'persist/keys',
  masterKey: 'persist/keys/master.key',
  /** The node's WireGuard key pair (its identity). */
  wireguardKey: 'persist/wireguard/private.key',
  /** The maintainer's durable org document and incarnation. */
  maintainerDir: 'persist/maintainer',
  /** Workload generations (generations/<id>/status). */
  generationsDir: 'persist/generations',
  /** Sockets and runtime state (RAM). */
  runDir: 'run/fortros',
  initSocket: 'run/fortros/init.sock',
  maintainerSocket: 'run/fortros/maintainer.sock',
  keysSocket: 'run/fortros/keys.sock',
  reconcilerSocket: 'run/fortros/reconciler.sock',
  /** Service logs: <logDir>/<service>/current (+ rotated files). */
  logDir: 'var/log/fortros',
} as const;

export type NodePathName = keyof typeof NODE_PATHS;
export type NodePaths = { readonly root: string } & { readonly [K in NodePathName]: string };

/** Every path of the node whose root is `root`, absolute. */
export function nodePaths(root: string): NodePaths {
  const abs = resolve(root);
  const out: Record<string, string> = { root: abs };
  for (const [k, rel] of Object.entries(NODE_PATHS)) out[k] = join(abs, rel);
  return out as NodePaths;
}

/** `<root>/var/log/fortros/<service>`: a service's log directory (the caller has validated the name). */
export function serviceLogDir(root: string, service: string): string {
  return join(resolve(root), NODE_PATHS.logDir, service);
}

/** The root from --root, else $FORTROS_ROOT, else `/`; absolute. An empty value counts as absent. */
export function resolveRoot(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return resolve(flag || env[ROOT_ENV] || DEFAULT_ROOT);
}
