// Bookkeeping of a state change: the timeline, the structured log record and the typed event payload.
import type { Logger } from '@fortros/log';
import { EventType, ServiceState, type ServiceEvent } from '../service/lifecycle.js';
import type { ServiceRecord } from '../service/service-record.js';
import { reasonOf } from '../service/service-status.js';

export interface ServiceStateChange {
  name: string;
  from: ServiceState;
  to: ServiceState;
  /** ISO 8601. */
  at: string;
  reason: string;
  pid: number;
}

/** Update `since` and the timeline of a record that just entered a new state. */
export function noteEntered(r: ServiceRecord, from: ServiceState, event: ServiceEvent, now: number): void {
  r.since = now;
  if (event.type === EventType.want) r.timeline.wantedAt = now;
  if (r.state === ServiceState.ready) r.timeline.readyAt = now;
  if ((r.state === ServiceState.inactive || r.state === ServiceState.failed) && from !== ServiceState.blocked) r.timeline.stoppedAt = now;
}

/** Log the change (component init:supervisor; black-box tests read these) and return the event payload. */
export function logChange(log: Logger, r: ServiceRecord, from: ServiceState, now: number): ServiceStateChange {
  const fields = {
    service: r.name,
    from,
    to: r.state,
    reason: reasonOf(r) || undefined,
    pid: r.mem.pid,
    waitingOn: r.mem.waitingOn.length > 0 ? r.mem.waitingOn : undefined,
  };
  if (r.state === ServiceState.failed) log.warn('service state', fields);
  else log.info('service state', fields);
  return { name: r.name, from, to: r.state, at: new Date(now).toISOString(), reason: reasonOf(r), pid: r.mem.pid };
}
