// google.protobuf.Timestamp <-> Date, as every API here carries times.
export interface TimestampLike {
  seconds?: number | string | null;
  nanos?: number | null;
}

export function toTimestamp(date: Date | number): { seconds: number; nanos: number } {
  const ms = typeof date === 'number' ? date : date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** undefined for an absent or zero timestamp. */
export function fromTimestamp(ts: TimestampLike | null | undefined): Date | undefined {
  if (!ts) return undefined;
  const seconds = Number(ts.seconds ?? 0);
  const nanos = Number(ts.nanos ?? 0);
  if (seconds === 0 && nanos === 0) return undefined;
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6));
}
