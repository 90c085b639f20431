// fortros-keys' command line, normalised once (STYLE §10): defaults in one place, validators that say what they expected.
import { join, resolve } from 'node:path';
import type { LogFormat, LogLevel } from '@fortros/log';
import { DEFAULT_ROOT, NODE_PATHS, ROOT_ENV, type HostPort } from '@fortros/core';
import { parseDaemonArgs } from '@fortros/daemon';
import { UsageError } from './errors.js';

export const USAGE = `usage: fortros-keys [--root DIR] [--notify-fd N] [--policy FILE] [--init-socket PATH]
                   [--reconciler-socket PATH] [--metrics HOST:PORT] [--log-level debug|info|warn|error] [--log-format logfmt|json]
       fortros-keys --help

Serve HKDF-SHA256 keys (DESIGN §7) to the services init supervises and the reconciler's workloads, on <root>/${NODE_PATHS.keysSocket}
(fortros.keys.v1.Keys, with grpc.health.v1 and reflection; mode 0666: callers are identified by the kernel).
  --root DIR          node root (default: $${ROOT_ENV}, else ${DEFAULT_ROOT}); master key <root>/${NODE_PATHS.masterKey}
  --notify-fd N       write a newline on fd N once the master key is loaded and the socket is bound
  --policy FILE       which purposes each service may derive (default: any purpose, under its own name)
  --init-socket PATH  fortros-init's control socket, to attribute callers (default: <root>/${NODE_PATHS.initSocket})
  --reconciler-socket PATH
                      fortros-reconciler's socket, to attribute workload callers by its ResolvePid (default:
                      <root>/${NODE_PATHS.reconcilerSocket}); while it cannot be asked, workloads are refused
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
  reconcilerSocketPath: string;
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
  const a = parseDaemonArgs(argv, env, ['policy', 'init-socket', 'reconciler-socket']);
  if (a === 'help') return { command: 'help' };
  return {
    command: 'run',
    options: {
      root: a.root,
      socketPath: join(a.root, NODE_PATHS.keysSocket),
      initSocketPath: path('--init-socket', a.flag('init-socket')) ?? join(a.root, NODE_PATHS.initSocket),
      reconcilerSocketPath: path('--reconciler-socket', a.flag('reconciler-socket')) ?? join(a.root, NODE_PATHS.reconcilerSocket),
      policyFile: path('--policy', a.flag('policy')),
      ...a.common,
    },
  };
}
