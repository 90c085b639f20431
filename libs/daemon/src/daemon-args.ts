// The command line every daemon shares: node's parseArgs with the common flags (--root, --notify-fd, --metrics,
// --log-level, --log-format, --help) plus the daemon's own string flags, normalised once (STYLE §11).
import { parseArgs } from 'node:util';
import { expectedGot, resolveRoot } from '@fortros/core';
import { LOG_FORMATS, LOG_LEVELS } from '@fortros/log';
import { UsageError } from './errors.js';
import { parseChoiceFlag, parseListenFlag, parseNotifyFdFlag } from './listen-flag.js';
import type { CommonOptions } from './run-daemon.js';

const COMMON_STRING_FLAGS = ['root', 'notify-fd', 'metrics', 'log-level', 'log-format'] as const;

export interface DaemonArgs {
  /** The node root: --root, else $FORTROS_ROOT, else `/`; absolute. */
  root: string;
  common: CommonOptions;
  /** The value of one of the daemon's own flags (name without `--`), undefined when absent. */
  flag(name: string): string | undefined;
}

/**
 * Parse `argv` (after node and script): `'help'` for --help, else the common options and the daemon's own flags
 * (`own`: names without `--`, each taking a value). Unknown flags, positionals and bad values throw UsageError.
 */
export function parseDaemonArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, own: readonly string[]): 'help' | DaemonArgs {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short: 'h' }> = { help: { type: 'boolean', short: 'h' } };
  for (const name of [...COMMON_STRING_FLAGS, ...own]) options[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values['help'] === true) return 'help';
  const str = (k: string): string | undefined => values[k] as string | undefined;
  if (str('root') === '') throw new UsageError(`--root: ${expectedGot('a directory', '')}`);
  return {
    root: resolveRoot(str('root'), env),
    common: {
      notifyFd: parseNotifyFdFlag(str('notify-fd')),
      metrics: parseListenFlag('--metrics', str('metrics')),
      logLevel: parseChoiceFlag('--log-level', LOG_LEVELS, str('log-level'), 'info'),
      logFormat: parseChoiceFlag('--log-format', LOG_FORMATS, str('log-format'), 'logfmt'),
    },
    flag: str,
  };
}
