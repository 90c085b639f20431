// The service lifecycle: the one pure transition function `step` over (type, state, event); see lifecycle-model.ts.
import { stepLongrun } from './longrun-lifecycle.js';
import { stepOneshot } from './oneshot-lifecycle.js';
import {
  assertNever, blocked, EventType, impossible, ServiceState, stay, to,
  type LifecycleService, type ServiceEvent, type Transition,
} from './lifecycle-model.js';

export * from './lifecycle-model.js';

/** The transition function: every (type, state, event) is handled here; impossible pairs throw. Pure. */
export function step(service: LifecycleService, event: ServiceEvent, now: number): Transition {
  switch (service.spec.type) {
    case 'longrun':
      return stepLongrun(service, event, now);
    case 'oneshot':
      return stepOneshot(service, event);
    case 'bundle':
      return stepBundle(service, event);
    default:
      return assertNever(service.spec.type);
  }
}

/** A bundle has no process: ready when every member is ready. */
function stepBundle(s: LifecycleService, e: ServiceEvent): Transition {
  switch (s.state) {
    case ServiceState.inactive:
      if (e.type === EventType.want) return e.depsReady ? to(s, ServiceState.ready, '') : blocked(s, e);
      if (e.type === EventType.unwant || e.type === EventType.hurry || e.type === EventType.depsReady || e.type === EventType.depsNotReady) return stay(s);
      if (e.type === EventType.loadFailed) return to(s, ServiceState.failed, e.reason);
      return impossible(s, e);
    case ServiceState.blocked:
      if (e.type === EventType.want || e.type === EventType.hurry) return stay(s);
      if (e.type === EventType.unwant) return to(s, ServiceState.inactive, '');
      if (e.type === EventType.depsReady) return to(s, ServiceState.ready, '');
      if (e.type === EventType.depsNotReady) return blocked(s, e);
      if (e.type === EventType.loadFailed) return to(s, ServiceState.failed, e.reason);
      return impossible(s, e);
    case ServiceState.ready:
      if (e.type === EventType.want || e.type === EventType.hurry || e.type === EventType.depsReady) return stay(s);
      if (e.type === EventType.unwant) return to(s, ServiceState.inactive, '');
      if (e.type === EventType.depsNotReady) return blocked(s, e);
      return impossible(s, e);
    case ServiceState.starting:
    case ServiceState.stopping:
    case ServiceState.backoff:
    case ServiceState.failed:
      return impossible(s, e);
    default:
      return assertNever(s.state);
  }
}
