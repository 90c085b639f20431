// fortros-console's command line, normalised once (STYLE §11): defaults here, validators saying what they expected,
// and the one rule on exposure: beyond loopback only with --allow-remote and a credential file.
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '@fortros/log';
import { DEFAULT_ROOT, expectedGot, formatHostPort, NODE_PATHS, ROOT_ENV, type HostPort } from '@fortros/core';
import { parseListenFlag, parseNotifyFdFlag } from '@fortros/daemon';
import { DEFAULT_LISTEN } from './constants.js';
import { RemoteWithoutCredentialError, UsageError } from './errors.js';

export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const USAGE = `usage: fortros-console [--listen HOST:PORT] [--allow-remote --token-file FILE] [--root DIR] [--notify-fd N]
                       [--log-level debug|info|warn|error] [--log-format logfmt|json]
       fortros-console --help

Serve a web page of this node (services, boot timeline, logs) and of its org (members, workloads), read through the
daemons' gRPC sockets under <root>/run/fortros/ (init, maintainer, reconciler). JSON: /api/services, /api/members,
/api/workloads (DESIGN §6 names).
  --listen H:P        where to serve HTTP (default ${DEFAULT_LISTEN}; loopback needs no account)
  --allow-remote      allow a non-loopback --listen address; requires --token-file
  --token-file FILE   the credential every request must carry: "Authorization: Bearer <token>", or basic auth with
                      the token as password (any user name); required with --allow-remote
  --root DIR          node root (default: $${ROOT_ENV}, else ${DEFAULT_ROOT})
  --notify-fd N       write a newline on fd N once listening and fortros-init answers
  --log-level L       debug, info (default), warn or error
  --log-format F      logfmt (default) or json, one record per line on stderr
Signals: SIGTERM and SIGINT stop cleanly (exit 0).
Exit codes: 0 stopped by a signal, 1 could not start (address in use, unreadable token file), 2 usage error.
`;

export interface ConsoleOptions {
  listen: HostPort;
  /** Path of the credential file; undefined on loopback without one. */
  tokenFile: string | undefined;
  root: string;
  initSocket: string;
  maintainerSocket: string;
  reconcilerSocket: string;
  notifyFd: number | undefined;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export type CommandLine = { command: 'help' } | { command: 'run'; options: ConsoleOptions };

/** 127.0.0.0/8, ::1 (and the v4-mapped form) and `localhost`: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const v4 = host.replace(/^::ffff:/i, '');
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(host) === 6 && (host === '::1' || /^0{1,4}(:0{1,4}){6}:0{0,3}1$/.test(host));
}

/**
 * The exposure rule: loopback is open; anything else needs both --allow-remote and --token-file.
 * RemoteWithoutCredentialError saying what is missing otherwise.
 */
export function checkExposure(listen: HostPort, allowRemote: boolean, tokenFile: string | undefined): void {
  if (isLoopbackHost(listen.host)) return;
  const where = formatHostPort(listen);
  if (!allowRemote) {
    throw new RemoteWithoutCredentialError(
      `--listen ${where} is not a loopback address: refusing to serve the node's services and logs beyond this machine without --allow-remote and --token-file FILE`,
    );
  }
  if (tokenFile === undefined) {
    throw new RemoteWithoutCredentialError(`--allow-remote with --listen ${where} needs a credential: give --token-file FILE (a token of at least 16 characters)`);
  }
}

function oneOf<T extends string>(flag: string, allowed: readonly T[], value: string | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: ${expectedGot(`one of ${allowed.join(', ')}`, value)}`);
}

function path(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError(`${flag}: expected a path, got ""`);
  return resolve(value);
}

/** Parse argv (without node and script). Throws UsageError (RemoteWithoutCredentialError for the exposure rule). */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CommandLine {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        listen: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'token-file': { type: 'string' },
        root: { type: 'string' },
        'notify-fd': { type: 'string' },
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
  const listen = parseListenFlag('--listen', str('listen') ?? DEFAULT_LISTEN)!;
  const tokenFile = path('--token-file', str('token-file'));
  checkExposure(listen, values['allow-remote'] === true, tokenFile);
  const envRoot = env[ROOT_ENV];
  const root = path('--root', str('root')) ?? (envRoot ? resolve(envRoot) : DEFAULT_ROOT);
  return {
    command: 'run',
    options: {
      listen,
      tokenFile,
      root,
      initSocket: join(root, NODE_PATHS.initSocket),
      maintainerSocket: join(root, NODE_PATHS.maintainerSocket),
      reconcilerSocket: join(root, NODE_PATHS.reconcilerSocket),
      notifyFd: parseNotifyFdFlag(str('notify-fd')),
      logLevel: oneOf('--log-level', LOG_LEVELS, str('log-level'), 'info'),
      logFormat: oneOf('--log-format', LOG_FORMATS, str('log-format'), 'logfmt'),
    },
  };
}
