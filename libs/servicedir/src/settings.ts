// Pure parsers for the one-value setting files: each returns the value or what was expected and what was found.
import { checkSignal } from '@fortros/core';
import { MAX_TIMEOUT_MS, NOTIFICATION_FD_MAX, NOTIFICATION_FD_MIN, SERVICE_NAME_PATTERN_TEXT } from './constants.js';
import { quote } from './fs-probe.js';
import { isValidServiceName } from './names.js';
import type { ServiceType } from './types.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string; got: string };

const SERVICE_TYPES: readonly ServiceType[] = ['longrun', 'oneshot', 'bundle'];

export function parseServiceType(text: string): Parsed<ServiceType> {
  const value = text.trim();
  return (SERVICE_TYPES as readonly string[]).includes(value)
    ? { ok: true, value: value as ServiceType }
    : { ok: false, expected: 'longrun, oneshot or bundle', got: quote(value) };
}

function parseUnsigned(text: string, max: number): number | undefined {
  const value = text.trim();
  if (!/^[0-9]+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n <= max ? n : undefined;
}

/** `timeout-up`, `timeout-down`, `timeout-kill`, `restart-delay-max`: a non-negative integer of ms. */
export function parseMs(text: string): Parsed<number> {
  const n = parseUnsigned(text, MAX_TIMEOUT_MS);
  return n === undefined
    ? { ok: false, expected: `a non-negative integer of milliseconds (at most ${MAX_TIMEOUT_MS})`, got: quote(text.trim()) }
    : { ok: true, value: n };
}

export function parseNotificationFd(text: string): Parsed<number> {
  const value = text.trim();
  const expected = 'a non-negative integer fd (not 0-2)';
  const n = parseUnsigned(value, Number.MAX_SAFE_INTEGER);
  if (n === undefined || n < NOTIFICATION_FD_MIN) return { ok: false, expected, got: quote(value) };
  if (n > NOTIFICATION_FD_MAX) return { ok: false, expected: `${expected} of at most ${NOTIFICATION_FD_MAX}`, got: quote(value) };
  return { ok: true, value: n };
}

/** `down-signal`: `SIGTERM`, `TERM`, `term` or `15` → `SIGTERM`, by the one rule of @fortros/core (signals.ts). */
export function parseSignal(text: string): Parsed<NodeJS.Signals> {
  return checkSignal(text);
}

/** A single service name (`producer-for`, `pipeline-name`). */
export function parseName(text: string): Parsed<string> {
  const value = text.trim();
  return isValidServiceName(value)
    ? { ok: true, value }
    : { ok: false, expected: `a service name matching ${SERVICE_NAME_PATTERN_TEXT}`, got: quote(value) };
}

/** A name list file (`dependencies`, `contents`, `consumer-for`): one name per line, `#` comments and blank lines ignored. */
export function parseNameLines(text: string): { names: string[]; invalid: string[] } {
  const names: string[] = [];
  const invalid: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    (isValidServiceName(line) ? names : invalid).push(line);
  }
  return { names, invalid };
}

/**
 * An `env/NAME` file as s6-envdir reads it: the first line, trailing spaces and tabs removed, NUL bytes turned
 * into newlines; an empty file means "unset NAME" (undefined).
 */
export function parseEnvValue(text: string): string | undefined {
  if (text.length === 0) return undefined;
  const nl = text.indexOf('\n');
  const first = nl === -1 ? text : text.slice(0, nl);
  return first.replace(/[ \t]+$/, '').replaceAll('\0', '\n');
}
