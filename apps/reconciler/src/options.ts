// fortros-reconciler's command line, normalised once (STYLE §11): the shared daemon flags through @fortros/daemon,
// node paths from @fortros/core's NODE_PATHS.
import { join, resolve } from 'node:path';
import { DEFAULT_ROOT, NODE_PATHS, ROOT_ENV, expectedGot, type HostPort } from '@fortros/core';
import { parseDaemonArgs, UsageError } from '@fortros/daemon';
import type { LogFormat, LogLevel } from '@fortros/log';

export const USAGE = `usage: fortros-reconciler [--root DIR] [--notify-fd N] [--maintainer-socket PATH] [--keys-socket PATH]
                          [--metrics HOST:PORT] [--log-level debug|info|warn|error] [--log-format logfmt|json]
       fortros-reconciler --help

Run this node's workloads as the maintainer's desired state says (DESIGN §9), report what it observes, and serve
fortros.reconciler.v1.Reconciler on <root>/${NODE_PATHS.reconcilerSocket} (mode 0600, with grpc.health.v1 and reflection).
  --root DIR                node root (default: $${ROOT_ENV}, else ${DEFAULT_ROOT}); the node id comes from the maintainer
  --notify-fd N             write a newline on fd N once connected to the maintainer and the key service and the
                            first pass is done
  --maintainer-socket PATH  default <root>/${NODE_PATHS.maintainerSocket}
  --keys-socket PATH        default <root>/${NODE_PATHS.keysSocket}
  --metrics H:P             serve Prometheus metrics on http://H:P/metrics (off by default): process metrics
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
  metrics: HostPort | undefined;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export type CommandLine = { command: 'help' } | { command: 'run'; options: ReconcilerCommandOptions };

function path(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError(`${flag}: ${expectedGot('a path', '')}`);
  return resolve(value);
}

/** Parse argv (without node and script). Throws UsageError. */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CommandLine {
  const a = parseDaemonArgs(argv, env, ['maintainer-socket', 'keys-socket']);
  if (a === 'help') return { command: 'help' };
  return {
    command: 'run',
    options: {
      root: a.root,
      socketPath: join(a.root, NODE_PATHS.reconcilerSocket),
      maintainerSocketPath: path('--maintainer-socket', a.flag('maintainer-socket')) ?? join(a.root, NODE_PATHS.maintainerSocket),
      keysSocketPath: path('--keys-socket', a.flag('keys-socket')) ?? join(a.root, NODE_PATHS.keysSocket),
      ...a.common,
    },
  };
}
