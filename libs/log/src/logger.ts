// The Logger: levels, child scopes, and rendering to logfmt or JSON lines.
import type { LineSink } from './sink.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** One record per line: logfmt (key=value) or JSON. */
export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose records all carry `fields` (e.g. `{ component: 'init:supervisor' }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  sink: LineSink;
  clock?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  if (!(level in RANK)) throw new TypeError(`log level: expected one of ${LOG_LEVELS.join(', ')}, got ${String(level)}`);
  const format = options.format ?? 'logfmt';
  const clock = options.clock ?? (() => new Date());
  const make = (bound: LogFields): Logger => {
    const emit = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
      if (RANK[lvl] < RANK[level]) return;
      const record: LogFields = { time: clock().toISOString(), level: lvl, msg, ...bound, ...fields };
      options.sink.write(format === 'json' ? JSON.stringify(record, jsonReplacer) : renderLogfmt(record));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function renderValue(value: unknown): string {
  let s: string;
  if (value instanceof Error) s = `${value.name}: ${value.message}`;
  else if (typeof value === 'string') s = value;
  else if (value === undefined) s = '';
  else if (typeof value === 'object' && value !== null) s = JSON.stringify(value, jsonReplacer);
  else s = String(value);
  return /^[^\s"=\\]+$/.test(s) ? s : JSON.stringify(s);
}

/** `time=… level=info msg="…" key=value`, one line: newlines inside values are escaped. */
export function renderLogfmt(record: LogFields): string {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${renderValue(v)}`)
    .join(' ');
}
