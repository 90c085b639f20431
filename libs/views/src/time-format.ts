// Durations and ages for people: `850ms`, `1.204s`, `3m04s`, `2h05m`, `3d04h`.
/** A span in ms, precise for short spans: `0ms`, `850ms`, `1.204s`, `12.5s`, `3m04s`, then as formatAge. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(3)}s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatAge(ms);
}

/** A coarse age in ms: `0s`, `42s`, `3m04s`, `2h05m`, `3d04h`. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor(s / 3600) % 24)}h`;
}

/** An axis label for a tick at `ms` when ticks are `step` ms apart: `0`, `250ms`, `1s`, `1.5s`, `120s`, `2m` (steps ≥ 1 min). */
export function formatTick(ms: number, step: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${ms}ms`;
  if (step >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${trimZeros((ms / 1000).toFixed(3))}s`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
