// Test helper: wire objects as the client receives them (proto-loader output, defaults filled in).
import { toTimestamp, type InitV1 } from '@fortros/proto';

export const T0 = Date.parse('2025-01-01T00:00:00.000Z');
export const ts = (ms: number) => toTimestamp(T0 + ms);

export function service(partial: Partial<InitV1.Service__Output> & { name: string }): InitV1.Service__Output {
  return {
    type: 'SERVICE_TYPE_LONGRUN',
    state: 'SERVICE_STATE_INACTIVE',
    pid: 0,
    ready: false,
    restarts: 0,
    since: null,
    waitingOn: [],
    reason: '',
    lastExit: null,
    dependencies: [],
    contents: [],
    restartAt: null,
    pidStartTime: 0,
    wanted: false,
    health: null,
    ...partial,
  };
}

export function entry(partial: Partial<InitV1.TimelineEntry__Output> & { name: string }): InitV1.TimelineEntry__Output {
  return { type: 'SERVICE_TYPE_LONGRUN', spawnedAt: null, readyAt: null, dependencies: [], state: 'SERVICE_STATE_INACTIVE', since: null, reason: '', ...partial };
}

/** spawned/ready in ms since T0 (boot start). */
export function timeline(entries: InitV1.TimelineEntry__Output[], completedMs?: number): InitV1.Timeline__Output {
  return { bootStartedAt: ts(0), bootCompletedAt: completedMs === undefined ? null : ts(completedMs), entries };
}
