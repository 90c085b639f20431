// TAI64N timestamps (daemontools, svlogd -t, s6-log t): `@` + 24 hex digits, for log lines and rotated file names.
//
// Label = 2^62 + 10 + seconds since the Unix epoch (the constant 10 s TAI−UTC offset daemontools' tai64n uses;
// leap seconds after 1972 are not added, as svlogd and tai64n do not), then 4 bytes of nanoseconds. Fixed width
// lowercase hex, so names and lines sort chronologically as strings. `tai64nlocal` renders them.

const TAI64_BASE = 0x4000000000000000n + 10n;
const NS_PER_S = 1_000_000_000n;

/** Length of `@` + 16 + 8 hex digits. */
export const TAI64N_LENGTH = 25;
const PATTERN = /^@([0-9a-f]{16})([0-9a-f]{8})$/;

/** TAI64N of nanoseconds since the Unix epoch (≥ 0). */
export function tai64nFromNanos(ns: bigint): string {
  const clamped = ns < 0n ? 0n : ns;
  const seconds = TAI64_BASE + clamped / NS_PER_S;
  const nanos = clamped % NS_PER_S;
  return `@${seconds.toString(16).padStart(16, '0')}${nanos.toString(16).padStart(8, '0')}`;
}

/** Nanoseconds since the Unix epoch of a TAI64N label, or undefined when `label` is not one. */
export function nanosFromTai64n(label: string): bigint | undefined {
  const m = PATTERN.exec(label);
  if (!m) return undefined;
  const nanos = BigInt(`0x${m[2]!}`);
  if (nanos >= NS_PER_S) return undefined;
  return (BigInt(`0x${m[1]!}`) - TAI64_BASE) * NS_PER_S + nanos;
}

/** Millisecond timestamps render through a one-second cache: one label per line must be cheap. */
export class Tai64nEncoder {
  private second = -1;
  private prefix = '';

  encode(ms: number): string {
    const t = Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
    const second = Math.floor(t / 1000);
    if (second !== this.second) {
      this.second = second;
      this.prefix = (TAI64_BASE + BigInt(second)).toString(16).padStart(16, '0');
    }
    return `@${this.prefix}${((t % 1000) * 1_000_000).toString(16).padStart(8, '0')}`;
  }
}

/** A Date of a TAI64N label (millisecond precision), or undefined. */
export function dateFromTai64n(label: string): Date | undefined {
  const ns = nanosFromTai64n(label);
  return ns === undefined ? undefined : new Date(Number(ns / 1_000_000n));
}

const ROTATED = /^(@[0-9a-f]{24})\.s$/;

/** `@<tai64n>.s`: the name of a rotated file (svlogd), or undefined when `name` is not one. */
export function rotatedLabel(name: string): string | undefined {
  return ROTATED.exec(name)?.[1];
}

export const rotatedName = (label: string): string => `${label}.s`;
