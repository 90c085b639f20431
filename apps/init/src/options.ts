// The command line, normalised once (STYLE §10): defaults in one place, validators that say what they expected.
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '@fortros/log';
import { DEFAULT_ROOT, expectedGot, NODE_PATHS, ROOT_ENV } from '@fortros/core';
import { parseChoiceFlag, parseListenFlag } from '@fortros/daemon';
import { SERVICE_NAME_PATTERN } from '@fortros/servicedir';
import { UsageError } from './errors.js';


export const DEFAULT_BUNDLE = 'default';

export const LOG_DESTINATIONS = ['files', 'stdout', 'stderr'] as const;
export type LogDestination = (typeof LOG_DESTINATIONS)[number];

export const USAGE = `usage: fortros-init [--root DIR] [--source DIR]... [--run-dir DIR] [--bundle NAME]
                    [--log files|stdout|stderr] [--log-max-bytes N] [--log-max-files N]
                    [--metrics HOST:PORT] [--container]
                    [--log-format logfmt|json] [--log-level debug|info|warn|error]
       fortros-init check [--root DIR] [--source DIR]...
       fortros-init --help

Boot the service tree (s6-rc source format) and supervise it until SIGTERM or SIGINT.
  --root DIR        node root (default: $FORTROS_ROOT, else /)
  --source DIR      a source directory; repeat for several (default: <root>/${NODE_PATHS.servicesDir})
  --run-dir DIR     runtime state, created if missing (default: <root>/${NODE_PATHS.runDir})
  --bundle NAME     what to start (default: ${DEFAULT_BUNDLE})
  --log DEST        where service output goes: files (default: <root>/${NODE_PATHS.logDir}/NAME/current, rotated
                    like svlogd), stdout (\`NAME: line\`, for containers) or stderr (\`NAME: line\`, with init's log)
  --log-max-bytes N rotate a service log when it would pass N bytes (svlogd s; default 1000000)
  --log-max-files N keep at most N rotated files per service (svlogd n; default 10)
  --metrics H:P     serve Prometheus metrics on http://H:P/metrics (off by default)
  --container       at the end of a shutdown exit with a status instead of calling reboot(2)
                    (also detected from $container, /.dockerenv, /run/.containerenv)
  --log-format F    logfmt (default) or json, one record per line on stderr
  --log-level L     debug, info (default), warn or error
Control API: fortros.init.v1.Init on <run-dir>/${basename(NODE_PATHS.initSocket)} (fortctl talks to it), with health and reflection.
Signals: SIGTERM stops every service in reverse dependency order, then powers off; SIGINT does the same, then
reboots. As PID 1 init then syncs and calls reboot(2); otherwise (or in a container) it exits 0. A second
SIGTERM/SIGINT shortens every kill timeout to at most 1 s. SIGHUP reloads the service tree. SIGUSR1 logs the
status of every service. When not PID 1, init makes itself a child subreaper and reaps orphans all the same.
`;

export interface BootOptions {
  command: 'boot';
  root: string;
  sources: string[];
  runDir: string;
  bundle: string;
  logFormat: LogFormat;
  logLevel: LogLevel;
  log: LogDestination;
  logMaxBytes: number | undefined;
  logMaxFiles: number | undefined;
  metrics: { host: string; port: number } | undefined;
  container: boolean;
}

function positiveInt(what: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${what}: ${expectedGot('a positive integer', value)}`);
  }
  return Number(value);
}


export type CommandLine = { command: 'help' } | { command: 'check'; argv: string[] } | BootOptions;

function directory(what: string, value: string): string {
  if (value === '' || value.includes('\0')) throw new UsageError(`${what}: ${expectedGot('a directory path', value)}`);
  return resolve(value);
}

/** The node root (--root, else $FORTROS_ROOT, else /) and the tree's sources (--source..., else
 * <root>/etc/fortros/services), validated: shared by boot and `check`. Throws UsageError. */
export function treeLocation(values: { root?: string; source?: string[] }, env: NodeJS.ProcessEnv): { root: string; sources: string[] } {
  const root = directory(values.root !== undefined ? '--root' : ROOT_ENV, values.root ?? (env[ROOT_ENV] || DEFAULT_ROOT));
  const sources = (values.source ?? []).map((s) => directory('--source', s));
  return { root, sources: sources.length > 0 ? sources : [join(root, NODE_PATHS.servicesDir)] };
}

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): CommandLine {
  if (argv[0] === 'check') return { command: 'check', argv: argv.slice(1) };
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        root: { type: 'string' },
        source: { type: 'string', multiple: true },
        'run-dir': { type: 'string' },
        bundle: { type: 'string' },
        'log-format': { type: 'string' },
        'log-level': { type: 'string' },
        log: { type: 'string' },
        'log-max-bytes': { type: 'string' },
        'log-max-files': { type: 'string' },
        metrics: { type: 'string' },
        container: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { command: 'help' };
  const { root, sources } = treeLocation(values, env);
  const bundle = values.bundle ?? DEFAULT_BUNDLE;
  if (!SERVICE_NAME_PATTERN.test(bundle)) throw new UsageError(`--bundle: ${expectedGot(`a service name matching ${SERVICE_NAME_PATTERN.source}`, bundle)}`);
  return {
    command: 'boot',
    root,
    sources,
    runDir: values['run-dir'] !== undefined ? directory('--run-dir', values['run-dir']) : join(root, NODE_PATHS.runDir),
    bundle,
    logFormat: parseChoiceFlag('--log-format', LOG_FORMATS, values['log-format'], 'logfmt'),
    logLevel: parseChoiceFlag('--log-level', LOG_LEVELS, values['log-level'], 'info'),
    log: parseChoiceFlag('--log', LOG_DESTINATIONS, values.log, 'files'),
    logMaxBytes: positiveInt('--log-max-bytes', values['log-max-bytes']),
    logMaxFiles: positiveInt('--log-max-files', values['log-max-files']),
    metrics: parseListenFlag('--metrics', values.metrics),
    container: values.container === true,
  };
}
