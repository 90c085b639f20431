// The command line, normalised once (STYLE §10): defaults in one place, validators that say what they expected.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '@fortros/log';
import { SERVICE_NAME_PATTERN, SERVICES_DIR_UNDER_ROOT } from '@fortros/servicedir';
import { UsageError } from './errors.js';

export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const DEFAULT_BUNDLE = 'default';
/** Runtime state (RAM) under the node root (DESIGN §3). */
export const RUN_DIR_UNDER_ROOT = 'run/fortros';

export const USAGE = `usage: fortros-init [--root DIR] [--source DIR]... [--run-dir DIR] [--bundle NAME]
                    [--log-format logfmt|json] [--log-level debug|info|warn|error]
       fortros-init check [--root DIR] [--source DIR]...
       fortros-init --help

Boot the service tree (s6-rc source format) and supervise it until SIGTERM or SIGINT.
  --root DIR        node root (default: $FORTROS_ROOT, else /)
  --source DIR      a source directory; repeat for several (default: <root>/${SERVICES_DIR_UNDER_ROOT})
  --run-dir DIR     runtime state, created if missing (default: <root>/${RUN_DIR_UNDER_ROOT})
  --bundle NAME     what to start (default: ${DEFAULT_BUNDLE})
  --log-format F    logfmt (default) or json, one record per line on stderr
  --log-level L     debug, info (default), warn or error
Signals: SIGTERM/SIGINT stop every service in reverse dependency order, then exit 0; a second one
shortens every kill timeout to at most 1 s. SIGUSR1 logs the status of every service.
`;

export interface BootOptions {
  command: 'boot';
  root: string;
  sources: string[];
  runDir: string;
  bundle: string;
  logFormat: LogFormat;
  logLevel: LogLevel;
}

export type CommandLine = { command: 'help' } | { command: 'check'; argv: string[] } | BootOptions;

function oneOf<T extends string>(what: string, allowed: readonly T[], value: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${what}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

function directory(what: string, value: string): string {
  if (value === '' || value.includes('\0')) throw new UsageError(`${what}: expected a directory path, got ${JSON.stringify(value)}`);
  return resolve(value);
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
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { command: 'help' };
  const root = directory(values.root !== undefined ? '--root' : 'FORTROS_ROOT', values.root ?? (env.FORTROS_ROOT || '/'));
  const sources = (values.source ?? []).map((s) => directory('--source', s));
  const bundle = values.bundle ?? DEFAULT_BUNDLE;
  if (!SERVICE_NAME_PATTERN.test(bundle)) throw new UsageError(`--bundle: expected a service name matching ${SERVICE_NAME_PATTERN.source}, got ${JSON.stringify(bundle)}`);
  return {
    command: 'boot',
    root,
    sources: sources.length > 0 ? sources : [join(root, SERVICES_DIR_UNDER_ROOT)],
    runDir: values['run-dir'] !== undefined ? directory('--run-dir', values['run-dir']) : join(root, RUN_DIR_UNDER_ROOT),
    bundle,
    logFormat: oneOf('--log-format', LOG_FORMATS, values['log-format'] ?? 'logfmt'),
    logLevel: oneOf('--log-level', LOG_LEVELS, values['log-level'] ?? 'info'),
  };
}
