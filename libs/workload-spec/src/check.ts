// Field checkers shared by the org validators: each returns the checked value or fails with `<path>: expected …, got …`.
import { describeValue } from '@fortros/core';
import { ORG_LABELS_MAX, ORG_NAME_MAX_CHARS, ORG_TEXT_MAX_CHARS } from './constants.js';

/** Raises the caller's error class for a field; never returns. */
export type Fail = (field: string, reason: string) => never;

/** Ids, node ids, key purposes: `[a-z0-9][a-z0-9._-]{0,62}` (DESIGN §7, §9). */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** Label keys (also selector keys): letters, digits and `._/-`, starting with a letter or digit. */
export const LABEL_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;

/** A short rendering of a bad value for error messages: @fortros/core's one formatter. */
export const show = describeValue;

/** The path of `key` inside `parent` (`placement` + `replicas` → `placement.replicas`). */
export function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function expectObject(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, `expected an object, got ${show(value)}`);
  return value as Record<string, unknown>;
}

/** Fails on the first own key of `obj` not in `allowed`. */
export function rejectUnknown(obj: Record<string, unknown>, allowed: readonly string[], parent: string, fail: Fail): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(join(parent, key), 'unknown field');
  }
}

export function expectText(value: unknown, field: string, fail: Fail, maxChars = ORG_TEXT_MAX_CHARS): string {
  if (typeof value !== 'string') fail(field, `expected a string, got ${show(value)}`);
  if (value.length === 0) fail(field, 'expected a non-empty string, got ""');
  if (value.length > maxChars) fail(field, `expected at most ${maxChars} characters, got ${value.length}`);
  if (value.includes('\0')) fail(field, `expected no NUL character, got ${show(value)}`);
  return value;
}

export function expectName(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    fail(field, `expected a name matching [a-z0-9][a-z0-9._-]{0,62}, got ${show(value)}`);
  }
  return value;
}

export function expectAbsolutePath(value: unknown, field: string, fail: Fail): string {
  const s = expectText(value, field, fail);
  if (!s.startsWith('/')) fail(field, `expected an absolute path, got ${show(s)}`);
  return s;
}

export function expectInt(value: unknown, field: string, min: number, max: number, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    const what = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
    fail(field, `expected ${what}, got ${show(value)}`);
  }
  if (value > max) fail(field, `expected an integer ≤ ${max}, got ${value}`);
  return value;
}

export function expectOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fail: Fail): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(field, `expected one of ${allowed.join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

/** An array of at most `max` items, each checked by `item`. */
export function expectArray<T>(
  value: unknown,
  field: string,
  max: number,
  fail: Fail,
  item: (v: unknown, path: string) => T,
): T[] {
  if (!Array.isArray(value)) fail(field, `expected an array, got ${show(value)}`);
  if (value.length > max) fail(field, `expected at most ${max} items, got ${value.length}`);
  return value.map((v, i) => item(v, join(field, i)));
}

/** Like expectArray, and no item twice. */
export function expectUniqueArray(
  value: unknown,
  field: string,
  max: number,
  fail: Fail,
  item: (v: unknown, path: string) => string,
): string[] {
  const out = expectArray(value, field, max, fail, item);
  const seen = new Set<string>();
  out.forEach((v, i) => {
    if (seen.has(v)) fail(join(field, i), `expected no duplicates, got ${show(v)} twice`);
    seen.add(v);
  });
  return out;
}

/** A string → string map with at most `max` entries, keys matching `keyPattern`. */
export function expectStringMap(
  value: unknown,
  field: string,
  fail: Fail,
  opts: { max: number; keyPattern: RegExp; keyDescription: string; valueMaxChars?: number; allowEmptyValue?: boolean },
): Record<string, string> {
  const obj = expectObject(value, field, fail);
  const keys = Object.keys(obj);
  if (keys.length > opts.max) fail(field, `expected at most ${opts.max} entries, got ${keys.length}`);
  const out: Record<string, string> = {};
  for (const key of keys) {
    const path = join(field, key);
    if (!opts.keyPattern.test(key)) fail(path, `expected a key matching ${opts.keyDescription}, got ${show(key)}`);
    const v = obj[key];
    if (opts.allowEmptyValue && v === '') out[key] = '';
    else out[key] = expectText(v, path, fail, opts.valueMaxChars ?? ORG_TEXT_MAX_CHARS);
  }
  return out;
}

/** Member labels and placement selectors. */
export function expectLabels(value: unknown, field: string, fail: Fail): Record<string, string> {
  return expectStringMap(value, field, fail, {
    max: ORG_LABELS_MAX,
    keyPattern: LABEL_KEY_PATTERN,
    keyDescription: '[A-Za-z0-9][A-Za-z0-9._/-]{0,62}',
    valueMaxChars: ORG_NAME_MAX_CHARS,
    allowEmptyValue: true,
  });
}
