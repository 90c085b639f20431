// `fortctl blame`: services by time to ready, slowest first, like `systemd-analyze blame`.
import type { InitV1 } from '@fortros/proto';
import { formatDuration } from '@fortros/views';
import { timelineToJson, type TimelineJson } from '@fortros/views';

/** The header line: total boot time, or how long the unfinished boot has run so far at `now`. */
export function blameHeader(t: TimelineJson, now: Date): string {
  if (t.bootMs !== null) return `Boot completed in ${formatDuration(t.bootMs)} (started ${t.bootStartedAt}).`;
  if (t.bootStartedAt) return `Boot not complete: ${formatDuration(now.getTime() - Date.parse(t.bootStartedAt))} so far (started ${t.bootStartedAt}).`;
  return 'Boot not started: init reported no boot start time.';
}

/**
 * Header, then one line per service (bundles take no time and are left out): those that became ready sorted by
 * readyAt − spawnedAt descending (ties by name), then those never ready, by name, with their state.
 */
export function renderBlame(timeline: InitV1.Timeline__Output, now: Date): string[] {
  const t = timelineToJson(timeline);
  const services = t.entries.filter((e) => e.type !== 'bundle');
  const timed = services.filter((e) => e.durationMs !== null).sort((a, b) => b.durationMs! - a.durationMs! || a.name.localeCompare(b.name));
  const untimed = services.filter((e) => e.durationMs === null).sort((a, b) => a.name.localeCompare(b.name));
  const cells = [
    ...timed.map((e) => [formatDuration(e.durationMs!), e.name]),
    ...untimed.map((e) => ['-', `${e.name} (${e.spawnedAt ? `${e.state}, never ready` : `${e.state}, never started`})`]),
  ];
  const width = Math.max(0, ...cells.map(([d]) => d!.length));
  return [blameHeader(t, now), ...cells.map(([d, rest]) => `${d!.padStart(width)} ${rest}`)];
}
