// Options of a service log, normalised once at the edge with `expected <what>, got <value>` validators (STYLE §10).
import { expectedGot } from '@fortros/core';
import type { Logger } from '@fortros/log';
import {
  LOG_FILE_MAX_BYTES,
  LOG_FILE_MAX_BYTES_LIMIT,
  LOG_FILE_MIN_BYTES,
  LOG_FILES_MAX,
  LOG_FILES_MAX_LIMIT,
  LOG_LINE_MAX_BYTES,
  LOG_QUEUE_MAX_BYTES,
  LOG_QUEUE_MAX_BYTES_LIMIT,
  LOG_TRUNCATED_MARKER,
} from './constants.js';
import { LINE_OVERHEAD_BYTES } from './log-line.js';

/** The time source: milliseconds since the epoch (init's `Clock` fits). */
export interface LogClock {
  now(): number;
}

export interface RotatingLogOptions {
  /** The service's log directory, `<root>/var/log/fortros/<service>`. Created on the first write. */
  dir: string;
  /** Rotate `current` before it would exceed this (bytes; default LOG_FILE_MAX_BYTES, svlogd's s). */
  maxFileBytes?: number;
  /** Rotated files kept (default LOG_FILES_MAX, svlogd's n); the oldest beyond are removed. */
  maxFiles?: number;
  /** Bytes of lines waiting for the disk before new lines are dropped (default LOG_QUEUE_MAX_BYTES). */
  maxQueueBytes?: number;
  clock?: LogClock;
  /** Diagnostics: a directory that cannot be written, lines dropped for it. */
  logger: Logger;
  /** File I/O starts only after this settles: the close of an earlier log of the same directory. */
  openAfter?: Promise<unknown>;
}

export interface NormalizedRotatingLogOptions {
  dir: string;
  maxFileBytes: number;
  maxFiles: number;
  maxQueueBytes: number;
  /** Longest stored line text (bytes): LOG_LINE_MAX_BYTES, or less so that one line fits one file. */
  maxLineBytes: number;
  clock: LogClock;
  logger: Logger;
  openAfter: Promise<unknown>;
}

const systemLogClock: LogClock = { now: () => Date.now() };


export function integerOption(what: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what}: ${expectedGot(`an integer from ${min} to ${max}`, value)}`);
  }
  return value;
}

export function loggerOption(what: string, value: unknown): Logger {
  const l = value as Partial<Logger> | undefined;
  if (typeof l?.warn !== 'function' || typeof l.info !== 'function' || typeof l.child !== 'function') {
    throw new TypeError(`${what}: ${expectedGot('a Logger', value)}`);
  }
  return value as Logger;
}

export function clockOption(what: string, value: unknown): LogClock {
  if (value === undefined) return systemLogClock;
  if (typeof (value as Partial<LogClock> | null)?.now !== 'function') {
    throw new TypeError(`${what}: ${expectedGot('an object with now(): number', value)}`);
  }
  return value as LogClock;
}

export function normalizeRotatingLogOptions(options: RotatingLogOptions): NormalizedRotatingLogOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`log options: ${expectedGot('an object', options)}`);
  if (typeof options.dir !== 'string' || options.dir === '') {
    throw new TypeError(`log dir: ${expectedGot('a non-empty path', options.dir)}`);
  }
  const maxFileBytes = integerOption('log maxFileBytes', options.maxFileBytes, LOG_FILE_MAX_BYTES, LOG_FILE_MIN_BYTES, LOG_FILE_MAX_BYTES_LIMIT);
  const maxLineBytes = Math.min(LOG_LINE_MAX_BYTES, maxFileBytes - LINE_OVERHEAD_BYTES - LOG_TRUNCATED_MARKER.length);
  if (options.openAfter !== undefined && typeof (options.openAfter as Partial<Promise<unknown>>).then !== 'function') {
    throw new TypeError(`log openAfter: ${expectedGot('a Promise', options.openAfter)}`);
  }
  return {
    dir: options.dir,
    maxFileBytes,
    maxFiles: integerOption('log maxFiles', options.maxFiles, LOG_FILES_MAX, 1, LOG_FILES_MAX_LIMIT),
    maxQueueBytes: integerOption('log maxQueueBytes', options.maxQueueBytes, LOG_QUEUE_MAX_BYTES, 1, LOG_QUEUE_MAX_BYTES_LIMIT),
    maxLineBytes,
    clock: clockOption('log clock', options.clock),
    logger: loggerOption('log logger', options.logger),
    openAfter: options.openAfter ?? Promise.resolve(),
  };
}
