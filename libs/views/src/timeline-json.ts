// The boot timeline normalised once for blame, plot and --json: times as ISO strings and as ms since boot start.
import type { InitV1 } from '@fortros/proto';
import { fromTimestamp } from '@fortros/proto/timestamp';
import { stateName, typeName, type StateName, type TypeName } from './service-json.js';

export interface TimelineEntryJson {
  name: string;
  type: TypeName;
  state: StateName;
  spawnedAt: string | null;
  readyAt: string | null;
  /** ms from boot start to spawn; null if never spawned. */
  spawnedMs: number | null;
  /** ms from boot start to ready; null if never ready. */
  readyMs: number | null;
  /** readyAt − spawnedAt in ms: the time this service took to become ready; null unless both are known. */
  durationMs: number | null;
  dependencies: string[];
}

export interface TimelineJson {
  bootStartedAt: string | null;
  bootCompletedAt: string | null;
  /** bootCompletedAt − bootStartedAt in ms; null until the boot completed. */
  bootMs: number | null;
  entries: TimelineEntryJson[];
}

/**
 * Offsets are measured from boot start; when init gave none, from the earliest time in the timeline,
 * so the plot still has an origin.
 */
export function timelineToJson(t: InitV1.Timeline__Output): TimelineJson {
  const started = fromTimestamp(t.bootStartedAt);
  const completed = fromTimestamp(t.bootCompletedAt);
  const raw = (t.entries ?? []).map((e) => ({ e, spawned: fromTimestamp(e.spawnedAt), ready: fromTimestamp(e.readyAt) }));
  const times = raw.flatMap((r) => [r.spawned, r.ready]).filter((d): d is Date => d !== undefined).map((d) => d.getTime());
  const origin = started?.getTime() ?? (times.length ? Math.min(...times) : 0);
  const offset = (d: Date | undefined): number | null => (d ? d.getTime() - origin : null);
  return {
    bootStartedAt: started?.toISOString() ?? null,
    bootCompletedAt: completed?.toISOString() ?? null,
    bootMs: started && completed ? completed.getTime() - started.getTime() : null,
    entries: raw.map(({ e, spawned, ready }) => ({
      name: e.name,
      type: typeName(e.type),
      state: stateName(e.state),
      spawnedAt: spawned?.toISOString() ?? null,
      readyAt: ready?.toISOString() ?? null,
      spawnedMs: offset(spawned),
      readyMs: offset(ready),
      durationMs: spawned && ready ? ready.getTime() - spawned.getTime() : null,
      dependencies: [...(e.dependencies ?? [])],
    })),
  };
}
