// fortros-keys' command line, normalised once (STYLE §10): defaults in one place, validators that say what they expected.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '@fortros/log';
import { DEFAULT_ROOT, NODE_PATHS, ROOT_ENV, type HostPort } from '@fortros/core';
import { parseChoiceFlag, parseListenFlag, parseNotifyFdFlag } from '@fortros/daemon';
import { UsageError } from './errors.js';

export const USAGE = `usage: fortros-keys [--root DIR] [--notify-fd N] [--policy FILE] [--init-socket PATH]
                   [--metrics HOST:PORT] [--log-level debug|info|warn|error] [--log-format logfmt|json]
       fortros-keys --help

Serve HKDF-SHA256 keys (DESIGN §7) to the services init supervises, on <root>/${NODE_PATHS.keysSocket}
(fortros.keys.v1.Keys, with grpc.health.v1 and reflection; mode 0666: callers are identified by the kernel).
  --root DIR          node root (default: $${ROOT_ENV}, else ${DEFAULT_ROOT}); master key <root>/${NODE_PATHS.masterKey}
  --notify-fd N       write a newline on fd N once the master key is loaded and the socket is bound
  --policy FILE       which purposes each service may derive (default: any purpose, under its own name)
  --init-socket PATH  fortros-init's control socket, to attribute callers (default: <root>/${NODE_PATHS.initSocket})
  --metrics H:P       serve Prometheus metrics on http://H:P/metrics (off by default): derivations, refusals by
                      reason, master key state, process metrics
  --log-level L       debug, info (default), warn or error
  --log-format F      logfmt (default) or json, one record per line on stderr
Signals: SIGTERM and SIGINT stop cleanly (exit 0); SIGHUP retries a refused master key.
Exit codes: 0 stopped by a signal, 1 could not start (bad policy file, socket in use), 2 usage error.
`;

export interface KeysCommandOptions {
  root: string;
  socketPath: string;
  initSocketPath: string;
  policyFile: string | undefined;
  notifyFd: number | undefined;
  metrics: HostPort | undefined;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export type CommandLine = { command: 'help' } | { command: 'run'; options: KeysCommandOptions };

function path(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError(`${flag}: expected a path, got ""`);
  return resolve(value);
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
        policy: { type: 'string' },
        'init-socket': { type: 'string' },
        metrics: { type: 'string' },
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
  const envRoot = env[ROOT_ENV];
  const root = path('--root', str('root')) ?? (envRoot ? resolve(envRoot) : DEFAULT_ROOT);
  return {
    command: 'run',
    options: {
      root,
      socketPath: join(root, NODE_PATHS.keysSocket),
      initSocketPath: path('--init-socket', str('init-socket')) ?? join(root, NODE_PATHS.initSocket),
      policyFile: path('--policy', str('policy')),
      notifyFd: parseNotifyFdFlag(str('notify-fd')),
      metrics: parseListenFlag('--metrics', str('metrics')),
      logLevel: parseChoiceFlag('--log-level', LOG_LEVELS, str('log-level'), 'info'),
      logFormat: parseChoiceFlag('--log-format', LOG_FORMATS, str('log-format'), 'logfmt'),
    },
  };
}
