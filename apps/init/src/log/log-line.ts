// The stored line format: `@<tai64n> <text>\n`, one line never longer than a bound; encode, truncate and parse.
import { LOG_TRUNCATED_MARKER } from './constants.js';
import { dateFromTai64n, TAI64N_LENGTH } from '@fortros/log';
import type { LogEntry } from './service-log.js';

/** Bytes a stored line adds around its text: the TAI64N label, one space and the newline. */
export const LINE_OVERHEAD_BYTES = TAI64N_LENGTH + 2;

/**
 * `text` when it is at most `maxBytes` of UTF-8; else its longest prefix (cut at a character boundary) that
 * leaves room for LOG_TRUNCATED_MARKER, followed by the marker (like svlogd's line length limit).
 */
export function truncateLine(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text; // a UTF-16 unit is at most 3 UTF-8 bytes
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let cut = Math.max(0, maxBytes - LOG_TRUNCATED_MARKER.length);
  while (cut > 0 && (buf[cut]! & 0xc0) === 0x80) cut--; // do not split a multi-byte character
  return buf.toString('utf8', 0, cut) + LOG_TRUNCATED_MARKER;
}

/** `@4000000065a1b2c3075bcd15 text` of one stored line (without its newline); undefined when it is not one. */
export function parseLine(raw: string): LogEntry | undefined {
  if (raw.length < TAI64N_LENGTH + 1 || raw.charCodeAt(TAI64N_LENGTH) !== 0x20) return undefined;
  const at = dateFromTai64n(raw.slice(0, TAI64N_LENGTH));
  return at === undefined ? undefined : { at, line: raw.slice(TAI64N_LENGTH + 1) };
}
