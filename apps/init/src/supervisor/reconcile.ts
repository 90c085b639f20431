// Level-triggered planning: which lifecycle event each service needs so the tree moves toward the goal. Pure.
import { assertNever, EventType, ServiceState, type ServiceEvent } from '../service/lifecycle.js';
import { isDown, type ServiceRecord } from '../service/service-record.js';
import { GoalPhase, Intent, intentOf, stopModeOf, type GoalState } from './goal.js';

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

export function reconcile(view: GraphView, goal: GoalState): PlannedEvent[] {
  const out: PlannedEvent[] = [];
  const { records } = view;
  const mode = stopModeOf(goal.phase);
  const shutdown = goal.phase !== GoalPhase.running;
  const othersDown = shutdown && [...records.values()].every((r) => view.essentialSide.has(r.name) || isDown(r));
  const unwant = (name: string): number => out.push({ name, event: { type: EventType.unwant, mode } });
  for (const name of view.order) {
    const r = records.get(name)!;
    if (r.def === undefined) continue; // failed to load: never stepped
    const s = r.state;
    const intent = intentOf(goal, name);
    switch (intent) {
      case Intent.restart: // taken down on its own, whatever its dependents do; serviceDown brings it back up
        if (s === ServiceState.blocked || s === ServiceState.starting || s === ServiceState.ready || s === ServiceState.backoff) unwant(name);
        break;
      case Intent.up:
      case Intent.retry: {
        const wait = describeWait(records, r.deps);
        const depsReady = wait.waitingOn.length === 0;
        if (s === ServiceState.inactive || (s === ServiceState.failed && intent === Intent.retry)) {
          out.push({ name, event: { type: EventType.want, depsReady, ...wait } });
        } else if (s === ServiceState.blocked) {
          if (depsReady) out.push({ name, event: { type: EventType.depsReady } });
          else if (!sameList(wait.waitingOn, r.mem.waitingOn) || wait.reason !== r.reason) out.push({ name, event: { type: EventType.depsNotReady, ...wait } });
        } else if (s === ServiceState.ready && r.type === 'bundle' && !depsReady) {
          out.push({ name, event: { type: EventType.depsNotReady, ...wait } });
        }
        break;
      }
      case Intent.down:
        if (s === ServiceState.blocked) unwant(name);
        else if (s === ServiceState.starting || s === ServiceState.ready || s === ServiceState.backoff) {
          // s6-rc: a service stops only once everything that depends on it is down
          const dependentsDown = r.dependents.every((d) => isDown(records.get(d)!));
          const essentialOk = !shutdown || !view.essentialSide.has(name) || othersDown;
          if (dependentsDown && essentialOk) unwant(name);
        }
        break;
      default:
        assertNever(intent);
    }
  }
  return out;
}
