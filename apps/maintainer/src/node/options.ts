// The command line of fortros-maintainer, normalised once at the edge: defaults in one place, errors that name the flag.
import { parseChoiceFlag, parseListenFlag, parseNotifyFdFlag } from '@fortros/daemon';
import { resolve } from 'node:path';
import { checkHostPort, expectedGot, formatHostPort, resolveRoot, ROOT_ENV, type HostPort } from '@fortros/core';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '@fortros/log';
import { DEFAULT_BIND, FAULT_MAX_PEERS, MAX_JOIN_SEEDS, MAX_LABELS } from '../constants.js';
import { UsageError } from '../errors.js';

export const USAGE = `usage: fortros-maintainer [options]

  --root DIR            node root (env ${ROOT_ENV}, default /)
  --notify-fd N         write a newline to fd N once ready (s6 readiness)
  --name NAME           node name (default: the node id)
  --bind ADDR:PORT      gossip over UDP and serve OrgSync over TCP here (default ${DEFAULT_BIND})
  --join ADDR:PORT      a seed to join through; repeat for several (retried with backoff until one answers)
  --mesh none           gossip directly on --bind (the only mode until the WireGuard mesh lands)
  --label KEY=VALUE     a label of this node; repeatable
  --metrics HOST:PORT   serve Prometheus metrics on http://HOST:PORT/metrics (off by default): members by state,
                        gossip and sync counters, drops, document size, process metrics
  --log-level LEVEL     ${LOG_LEVELS.join(', ')} (default info)
  --log-format FORMAT   logfmt or json (default logfmt)
  --help                this text

Test-only: FORTROS_TEST_DROP_PEERS=ADDR:PORT,... and FORTROS_TEST_DROP_PEERS_FILE=PATH drop gossip and OrgSync
traffic to and from those peers (see README.md).
`;

export type MeshMode = 'none';

export { formatHostPort, type HostPort };

export interface MaintainerOptions {
  root: string;
  notifyFd: number | undefined;
  name: string | undefined;
  bind: HostPort;
  join: HostPort[];
  mesh: MeshMode;
  labels: Record<string, string>;
  logLevel: LogLevel;
  logFormat: LogFormat;
  metrics: HostPort | undefined;
  /** Test-only fault injection (env): peers always dropped, and a file re-read for more. */
  faults: { dropPeers: string[]; dropPeersFile: string | undefined };
}

export type Command = { command: 'help' } | { command: 'run'; options: MaintainerOptions };

const VALUE_FLAGS = ['--root', '--notify-fd', '--name', '--bind', '--join', '--mesh', '--label', '--metrics', '--log-level', '--log-format'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const NAME_MAX_CHARS = 63;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;

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
  const bind = parseHostPort(single('--bind') ?? DEFAULT_BIND, '--bind', false);
  if (bind.host === '0.0.0.0' || bind.host === '::') throw new UsageError(`--bind: expected an address peers can reach (it is advertised), got ${JSON.stringify(bind.host)}`);
  const joinRaw = (values.get('--join') ?? []).flatMap((j) => j.split(',')).filter((j) => j !== '');
  if (joinRaw.length > MAX_JOIN_SEEDS) throw new UsageError(`--join: expected at most ${MAX_JOIN_SEEDS} seeds, got ${joinRaw.length}`);
  const join = joinRaw.map((j) => parseHostPort(j, '--join', false));
  const mesh = single('--mesh') ?? 'none';
  if (mesh !== 'none') {
    throw new UsageError(`--mesh: expected none (the WireGuard mesh is not implemented yet; gossip runs directly on --bind), got ${JSON.stringify(mesh)}`);
  }
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
    labels,
    logLevel,
    logFormat,
    metrics: parseListenFlag('--metrics', single('--metrics')),
    faults: parseFaults(env),
  };
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
