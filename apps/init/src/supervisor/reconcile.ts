// Level-triggered planning: which lifecycle event each service needs so the tree moves toward the goal. Pure.
import { EventType, ServiceState, type ServiceEvent, type StopMode } from '../service/lifecycle.js';
import { isDown, type ServiceRecord } from '../service/service-record.js';

export interface ReconcileGoal {
  /** Services wanted up; closed under dependencies. */
  wanted: ReadonlySet<string>;
  /** Wanted services being restarted: taken down on their own (dependents keep their state), then up again. */
  restarting: ReadonlySet<string>;
  /** Failed services to try again (a start request named them). */
  retry: ReadonlySet<string>;
  /** Final shutdown: essential services (and what they need) go last. */
  shutdown: boolean;
  stopMode: StopMode;
}

export interface GraphView {
  records: ReadonlyMap<string, ServiceRecord>;
  order: readonly string[];
  essentialSide: ReadonlySet<string>;
}

export interface PlannedEvent {
  name: string;
  event: ServiceEvent;
}

/** Why a wanted service cannot start yet: the dependencies not ready, failed ones named with their reason. */
export function describeWait(records: ReadonlyMap<string, ServiceRecord>, deps: readonly string[]): { waitingOn: string[]; reason: string } {
  const waitingOn = deps.filter((d) => records.get(d)?.state !== ServiceState.ready);
  const failed = waitingOn.filter((d) => records.get(d)?.state === ServiceState.failed);
  if (failed.length > 0) return { waitingOn, reason: failed.map((d) => `dependency ${d} failed: ${records.get(d)!.reason}`).join('; ') };
  return { waitingOn, reason: waitingOn.length > 0 ? `waiting on ${waitingOn.join(', ')}` : '' };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function reconcile(view: GraphView, goal: ReconcileGoal): PlannedEvent[] {
  const out: PlannedEvent[] = [];
  const { records } = view;
  const othersDown = goal.shutdown && [...records.values()].every((r) => view.essentialSide.has(r.name) || isDown(r));
  for (const name of view.order) {
    const r = records.get(name)!;
    if (r.def === undefined) continue; // failed to load: never stepped
    const s = r.state;
    if (goal.restarting.has(name)) {
      if (s === ServiceState.blocked || s === ServiceState.starting || s === ServiceState.ready || s === ServiceState.backoff) {
        out.push({ name, event: { type: EventType.unwant, mode: goal.stopMode } });
      }
      continue;
    }
    if (goal.wanted.has(name)) {
      const wait = describeWait(records, r.deps);
      const depsReady = wait.waitingOn.length === 0;
      if (s === ServiceState.inactive || (s === ServiceState.failed && goal.retry.has(name))) {
        out.push({ name, event: { type: EventType.want, depsReady, ...wait } });
      } else if (s === ServiceState.blocked) {
        if (depsReady) out.push({ name, event: { type: EventType.depsReady } });
        else if (!sameList(wait.waitingOn, r.mem.waitingOn) || wait.reason !== r.reason) out.push({ name, event: { type: EventType.depsNotReady, ...wait } });
      } else if (s === ServiceState.ready && r.type === 'bundle' && !depsReady) {
        out.push({ name, event: { type: EventType.depsNotReady, ...wait } });
      }
      continue;
    }
    if (s === ServiceState.blocked) {
      out.push({ name, event: { type: EventType.unwant, mode: goal.stopMode } });
    } else if (s === ServiceState.starting || s === ServiceState.ready || s === ServiceState.backoff) {
      // s6-rc: a service stops only once everything that depends on it is down
      const dependentsDown = r.dependents.every((d) => isDown(records.get(d)!));
      const essentialOk = !goal.shutdown || !view.essentialSide.has(name) || othersDown;
      if (dependentsDown && essentialOk) out.push({ name, event: { type: EventType.unwant, mode: goal.stopMode } });
    }
  }
  return out;
}
