// The command line of fortros-maintainer, normalised once at the edge: defaults in one place, errors that name the flag.
import { parseChoiceFlag, parseListenFlag, parseNotifyFdFlag } from '@fortros/daemon';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkHostPort, expectedGot, formatHostPort, NODE_PATHS, resolveRoot, ROOT_ENV, type HostPort } from '@fortros/core';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '@fortros/log';
import { DEFAULT_BIND, DEFAULT_INTERFACE, DEFAULT_MESH_BIND, OVERLAY_PORT, FAULT_MAX_PEERS, MAX_JOIN_SEEDS, MAX_LABELS, NODE_CONFIG_MAX_BYTES } from '../constants.js';
import { UsageError } from '../errors.js';

export const USAGE = `usage: fortros-maintainer [options]

  --root DIR            node root (env ${ROOT_ENV}, default /)
  --notify-fd N         write a newline to fd N once ready (s6 readiness)
  --name NAME           node name (default: the node id)
  --mesh MODE           wireguard (default): SWIM and OrgSync on the node's overlay address, over WireGuard;
                        none: gossip directly on --bind, no authentication (single-host development and tests)
  --bind ADDR:PORT      the underlay. wireguard: WireGuard's UDP listen port and the admission endpoint (TCP, same
                        port; default ${DEFAULT_MESH_BIND}; not port ${OVERLAY_PORT}, the overlay's). none: gossip (UDP)
                        and OrgSync (TCP) (default ${DEFAULT_BIND})
  --interface NAME      wireguard: the WireGuard interface (default ${DEFAULT_INTERFACE}; made if absent)
  --join-token TOKEN    wireguard: join the org of TOKEN (from \`fortctl org token create\`); @FILE reads it from
                        FILE; else joinToken in <root>/etc/fortros/node.json. Without one (and no org yet) the node
                        starts a new org. A node that is already a member rejoins with its own key, without a token
  --join ADDR:PORT      none: a seed to join through; repeat for several (retried with backoff until one answers)
  --label KEY=VALUE     a label of this node; repeatable
  --metrics HOST:PORT   serve Prometheus metrics on http://HOST:PORT/metrics (off by default): members by state,
                        gossip and sync counters, drops, document size, process metrics
  --log-level LEVEL     ${LOG_LEVELS.join(', ')} (default info)
  --log-format FORMAT   logfmt or json (default logfmt)
  --help                this text

Test-only: FORTROS_TEST_DROP_PEERS=ADDR:PORT,... and FORTROS_TEST_DROP_PEERS_FILE=PATH drop gossip and OrgSync
traffic to and from those peers (see README.md).
`;

/** Values of --mesh, the default first. */
export const MESH_MODES = ['wireguard', 'none'] as const;
export type MeshMode = (typeof MESH_MODES)[number];

export { formatHostPort, type HostPort };

export interface MaintainerOptions {
  root: string;
  notifyFd: number | undefined;
  name: string | undefined;
  bind: HostPort;
  join: HostPort[];
  mesh: MeshMode;
  /** The WireGuard interface (mesh wireguard). */
  interface: string;
  /** A join token (mesh wireguard): from --join-token, @FILE, or etc/fortros/node.json. Never logged. */
  joinToken: string | undefined;
  labels: Record<string, string>;
  logLevel: LogLevel;
  logFormat: LogFormat;
  metrics: HostPort | undefined;
  /** Test-only fault injection (env): peers always dropped, and a file re-read for more. */
  faults: { dropPeers: string[]; dropPeersFile: string | undefined };
}

export type Command = { command: 'help' } | { command: 'run'; options: MaintainerOptions };

const VALUE_FLAGS = ['--root', '--notify-fd', '--name', '--bind', '--join', '--mesh', '--interface', '--join-token', '--label', '--metrics', '--log-level', '--log-format'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const NAME_MAX_CHARS = 63;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;
const INTERFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;
export const NODE_CONFIG_PATH = NODE_PATHS.nodeConfig;

/** Parses argv (without node and script) and the environment; throws UsageError naming the flag. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  const values = new Map<ValueFlag, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { command: 'help' };
    const eq = arg.indexOf('=');
    const flag = (eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg) as ValueFlag;
    if (!VALUE_FLAGS.includes(flag)) throw new UsageError(`expected an option such as --root or --bind, got ${JSON.stringify(arg)}`);
    let value: string;
    if (eq > 0 && arg.startsWith('--')) value = arg.slice(eq + 1);
    else {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag}: expected a value, got nothing`);
      value = next;
    }
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  const single = (flag: ValueFlag): string | undefined => {
    const v = values.get(flag);
    if (v && v.length > 1) throw new UsageError(`${flag}: expected once, got ${v.length} times`);
    return v?.[0];
  };
  return { command: 'run', options: normaliseOptions(single, values, env) };
}

function normaliseOptions(single: (f: ValueFlag) => string | undefined, values: Map<ValueFlag, string[]>, env: NodeJS.ProcessEnv): MaintainerOptions {
  const root = resolveRoot(single('--root'), env);
  const name = single('--name');
  if (name !== undefined && (name.length === 0 || name.length > NAME_MAX_CHARS || /[\s\0]/.test(name))) {
    throw new UsageError(`--name: expected 1 to ${NAME_MAX_CHARS} characters without spaces, got ${JSON.stringify(name)}`);
  }
  const mesh = parseChoiceFlag('--mesh', MESH_MODES, single('--mesh'), MESH_MODES[0]);
  const bind = parseHostPort(single('--bind') ?? (mesh === 'none' ? DEFAULT_BIND : DEFAULT_MESH_BIND), '--bind', false);
  if (bind.host === '0.0.0.0' || bind.host === '::') throw new UsageError(`--bind: expected an address peers can reach (it is advertised), got ${JSON.stringify(bind.host)}`);
  const joinRaw = (values.get('--join') ?? []).flatMap((j) => j.split(',')).filter((j) => j !== '');
  if (joinRaw.length > MAX_JOIN_SEEDS) throw new UsageError(`--join: expected at most ${MAX_JOIN_SEEDS} seeds, got ${joinRaw.length}`);
  const join = joinRaw.map((j) => parseHostPort(j, '--join', false));
  if (mesh === 'wireguard' && bind.port === OVERLAY_PORT) {
    throw new UsageError(`--bind: expected another port than ${OVERLAY_PORT} with --mesh wireguard (SWIM and OrgSync use it on the overlay address; WireGuard listens on every address), got ${formatHostPort(bind)}`);
  }
  if (mesh === 'wireguard' && join.length > 0) throw new UsageError('--join: expected only with --mesh none (on the mesh a node joins with --join-token)');
  const iface = single('--interface') ?? DEFAULT_INTERFACE;
  if (!INTERFACE_NAME.test(iface)) throw new UsageError(`--interface: expected 1 to 15 characters of [A-Za-z0-9_.-], got ${JSON.stringify(iface)}`);
  const joinToken = readJoinToken(single('--join-token'), root);
  if (mesh === 'none' && joinToken !== undefined && single('--join-token') !== undefined) throw new UsageError('--join-token: expected only with --mesh wireguard');
  const labels: Record<string, string> = {};
  const labelArgs = values.get('--label') ?? [];
  if (labelArgs.length > MAX_LABELS) throw new UsageError(`--label: expected at most ${MAX_LABELS}, got ${labelArgs.length}`);
  for (const l of labelArgs) {
    const eq = l.indexOf('=');
    const key = eq < 0 ? l : l.slice(0, eq);
    const value = eq < 0 ? '' : l.slice(eq + 1);
    if (!LABEL_KEY.test(key) || value.length > NAME_MAX_CHARS) throw new UsageError(`--label: expected KEY=VALUE with KEY matching ${LABEL_KEY.source}, got ${JSON.stringify(l)}`);
    labels[key] = value;
  }
  const logLevel = parseChoiceFlag('--log-level', LOG_LEVELS, single('--log-level'), 'info');
  const logFormat = parseChoiceFlag('--log-format', LOG_FORMATS, single('--log-format'), 'logfmt');
  return {
    root,
    notifyFd: parseNotifyFdFlag(single('--notify-fd')),
    name,
    bind,
    join,
    mesh,
    interface: iface,
    joinToken: mesh === 'wireguard' ? joinToken : undefined,
    labels,
    logLevel,
    logFormat,
    metrics: parseListenFlag('--metrics', single('--metrics')),
    faults: parseFaults(env),
  };
}

/** The join token: the flag's value, the file named by `@FILE`, or `joinToken` in node.json (errors never echo it). */
function readJoinToken(flag: string | undefined, root: string): string | undefined {
  if (flag !== undefined) {
    if (!flag.startsWith('@')) return flag.trim();
    const file = resolve(flag.slice(1));
    try {
      return readFileSync(file, 'utf8').slice(0, NODE_CONFIG_MAX_BYTES).trim();
    } catch (err) {
      throw new UsageError(`--join-token: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const file = join(root, NODE_CONFIG_PATH);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (Buffer.byteLength(text) > NODE_CONFIG_MAX_BYTES) throw new UsageError(`${file}: expected at most ${NODE_CONFIG_MAX_BYTES} bytes`);
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: expected a JSON object, got unparsable JSON`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UsageError(`${file}: expected a JSON object`);
  const token = (config as Record<string, unknown>).joinToken;
  if (token === undefined) return undefined;
  if (typeof token !== 'string') throw new UsageError(`${file}: joinToken: expected a string, got ${typeof token}`);
  return token.trim();
}

/** The test-only fault-injection inputs (README "Fault injection"). */
function parseFaults(env: NodeJS.ProcessEnv): MaintainerOptions['faults'] {
  const list = (env.FORTROS_TEST_DROP_PEERS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length > FAULT_MAX_PEERS) throw new UsageError(`FORTROS_TEST_DROP_PEERS: expected at most ${FAULT_MAX_PEERS} addresses, got ${list.length}`);
  const dropPeers = list.map((a) => formatHostPort(parseHostPort(a, 'FORTROS_TEST_DROP_PEERS', false)));
  const file = env.FORTROS_TEST_DROP_PEERS_FILE;
  return { dropPeers, dropPeersFile: file === undefined || file === '' ? undefined : resolve(file) };
}

/** `host:port` (@fortros/core's syntax) with a port 1..65535 (0 too when `allowZero`). */
export function parseHostPort(value: string, flag: string, allowZero: boolean): HostPort {
  const hp = checkHostPort(value, allowZero);
  if (!hp) throw new UsageError(`${flag}: ${expectedGot('ADDR:PORT such as 127.0.0.1:7946', value)}`);
  return hp;
}
