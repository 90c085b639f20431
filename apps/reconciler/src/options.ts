// fortros-reconciler's command line, normalised once (STYLE §11): defaults in one place, validators that say what
// they expected.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '@fortros/log';
import { DEFAULT_ROOT, KEYS_SOCKET_PATH, MAINTAINER_SOCKET_PATH, RECONCILER_SOCKET_PATH, ROOT_ENV } from './constants.js';
import { UsageError } from './errors.js';

export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const USAGE = `usage: fortros-reconciler [--root DIR] [--notify-fd N] [--maintainer-socket PATH] [--keys-socket PATH]
                          [--log-level debug|info|warn|error] [--log-format logfmt|json]
       fortros-reconciler --help

Run this node's workloads as the maintainer's desired state says (DESIGN §9), report what it observes, and serve
fortros.reconciler.v1.Reconciler on <root>/${RECONCILER_SOCKET_PATH} (mode 0600, with grpc.health.v1 and reflection).
  --root DIR                node root (default: $${ROOT_ENV}, else ${DEFAULT_ROOT}); the node id comes from the maintainer
  --notify-fd N             write a newline on fd N once connected to the maintainer and the key service and the
                            first pass is done
  --maintainer-socket PATH  default <root>/${MAINTAINER_SOCKET_PATH}
  --keys-socket PATH        default <root>/${KEYS_SOCKET_PATH}
  --log-level L             debug, info (default), warn or error
  --log-format F            logfmt (default) or json, one record per line on stderr
Signals: SIGTERM and SIGINT stop the reconciler (exit 0) and leave every workload running; node shutdown drains
them first with fortros-workloads-drain.
Exit codes: 0 stopped by a signal, 1 could not start (socket in use), 2 usage error.
`;

export interface ReconcilerCommandOptions {
  root: string;
  socketPath: string;
  maintainerSocketPath: string;
  keysSocketPath: string;
  notifyFd: number | undefined;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export type CommandLine = { command: 'help' } | { command: 'run'; options: ReconcilerCommandOptions };

function oneOf<T extends string>(flag: string, allowed: readonly T[], value: string | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

function path(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError(`${flag}: expected a path, got ""`);
  return resolve(value);
}

function notifyFd(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 3 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--notify-fd: expected an fd number of 3 or more, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** The node root of --root, else $FORTROS_ROOT, else /. */
export function rootOf(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const envRoot = env[ROOT_ENV];
  return path('--root', flag) ?? (envRoot ? resolve(envRoot) : DEFAULT_ROOT);
}

/** Parse argv (without node and script). Throws UsageError. */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CommandLine {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        root: { type: 'string' },
        'notify-fd': { type: 'string' },
        'maintainer-socket': { type: 'string' },
        'keys-socket': { type: 'string' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values['help'] === true) return { command: 'help' };
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const root = rootOf(str('root'), env);
  return {
    command: 'run',
    options: {
      root,
      socketPath: join(root, RECONCILER_SOCKET_PATH),
      maintainerSocketPath: path('--maintainer-socket', str('maintainer-socket')) ?? join(root, MAINTAINER_SOCKET_PATH),
      keysSocketPath: path('--keys-socket', str('keys-socket')) ?? join(root, KEYS_SOCKET_PATH),
      notifyFd: notifyFd(str('notify-fd')),
      logLevel: oneOf('--log-level', LOG_LEVELS, str('log-level'), 'info'),
      logFormat: oneOf('--log-format', LOG_FORMATS, str('log-format'), 'logfmt'),
    },
  };
}
