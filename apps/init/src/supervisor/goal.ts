// The supervisor's goal as data (a phase, and what is intended for each service) and `stepGoal`, its one pure
// transition function, whose events are control requests, rescans and service state changes; `Goal` holds it.
import { ImpossibleGoalEventError } from '../errors.js';
import { assertNever, ServiceState, StopMode } from '../service/lifecycle.js';

/** Whether the supervisor runs its tree, or takes everything down for good. */
export enum GoalPhase {
  /** Services come and go as asked. */
  running = 'running',
  /** The final shutdown: every service down, essential ones (and what they need) last. */
  shutdown = 'shutdown',
  /** The final shutdown, asked twice: every SIGKILL comes at most HURRY_KILL_AFTER_MS after the down signal. */
  hurry = 'hurry',
}
export const GOAL_PHASES = Object.values(GoalPhase);

/** What the supervisor intends for one service. */
export enum Intent {
  /** Not wanted: taken down once everything that depends on it is down. */
  down = 'down',
  /** Wanted up (with its dependencies: the goal is closed under them). */
  up = 'up',
  /** Wanted up, and failed: the next reconcile pass tries it once more. */
  retry = 'retry',
  /** Wanted up, but first taken down on its own (dependents keep their state), then up again. */
  restart = 'restart',
}
export const INTENTS = Object.values(Intent);

export enum GoalEventType {
  /** A start request (or a rescan's new closure): `names` wanted up; `retry` are failed ones to try again. */
  start = 'start',
  /** A stop request (or a rescan's removal): `names` not wanted any more. */
  stop = 'stop',
  /** A restart request: each running member is taken down and up again; a failed one is tried again. */
  restart = 'restart',
  /** The final shutdown (`hurry`: asked again). */
  shutdown = 'shutdown',
  /** Services left the tree (rescan): nothing intends anything for them. */
  forget = 'forget',
  /** A service was stepped and is down (inactive or failed, no process of it left); `failed` tells which. */
  serviceDown = 'serviceDown',
  /** A reconcile pass gave these services their one more try. */
  retried = 'retried',
}
export const GOAL_EVENT_TYPES = Object.values(GoalEventType);

export type GoalEvent =
  | { type: GoalEventType.start; names: readonly string[]; retry: readonly string[] }
  | { type: GoalEventType.stop; names: readonly string[] }
  | { type: GoalEventType.restart; members: ReadonlyArray<{ name: string; state: ServiceState }> }
  | { type: GoalEventType.shutdown; hurry: boolean }
  | { type: GoalEventType.forget; names: readonly string[] }
  | { type: GoalEventType.serviceDown; name: string; failed: boolean }
  | { type: GoalEventType.retried; names: readonly string[] };

export interface GoalState {
  readonly phase: GoalPhase;
  /** Services whose intent is not `down`. */
  readonly intents: ReadonlyMap<string, Intent>;
}

export const INITIAL_GOAL: GoalState = { phase: GoalPhase.running, intents: new Map() };

/** The one holder of the supervisor's goal: read `current`, change it only by feeding events to `stepGoal`. */
export class Goal {
  current: GoalState = INITIAL_GOAL;

  /** `refused` hears of an event the goal cannot take (a bug); the goal is then kept as it was. */
  constructor(private readonly refused: (e: GoalEvent, err: Error) => void) {}

  feed(e: GoalEvent): void {
    try {
      this.current = stepGoal(this.current, e);
    } catch (err) {
      this.refused(e, err as Error);
    }
  }
}

export function intentOf(goal: GoalState, name: string): Intent {
  return goal.intents.get(name) ?? Intent.down;
}

/** Wanted up: up, being retried, or being restarted. */
export function isWanted(goal: GoalState, name: string): boolean {
  return intentOf(goal, name) !== Intent.down;
}

/** The services whose intent is `intent` (not `down`: those are every other name). */
export function namesWith(goal: GoalState, intent: Exclude<Intent, Intent.down>): string[] {
  return [...goal.intents].filter(([, i]) => i === intent).map(([n]) => n);
}

/** How stops are carried out in `phase`. */
export function stopModeOf(phase: GoalPhase): StopMode {
  switch (phase) {
    case GoalPhase.running:
      return StopMode.normal;
    case GoalPhase.shutdown:
      return StopMode.shutdown;
    case GoalPhase.hurry:
      return StopMode.hurry;
    default:
      return assertNever(phase);
  }
}

/** What a goal event means for one service (events naming several services are split into these). */
export type ServiceGoalEvent =
  | { type: GoalEventType.start; retry: boolean }
  | { type: GoalEventType.stop }
  | { type: GoalEventType.restart; state: ServiceState }
  | { type: GoalEventType.shutdown; hurry: boolean }
  | { type: GoalEventType.forget }
  | { type: GoalEventType.serviceDown; failed: boolean }
  | { type: GoalEventType.retried };

/**
 * The transition function: the goal after `e`. Every (phase, intent, event) is decided by `stepOne`; an event that
 * cannot happen in a phase (a start or restart during the shutdown) throws ImpossibleGoalEventError. Pure: `goal`
 * is never changed; the same object comes back when nothing changes.
 */
export function stepGoal(goal: GoalState, e: GoalEvent): GoalState {
  switch (e.type) {
    case GoalEventType.start: {
      const retry = new Set(e.retry);
      return each(goal, e.names, (name) => ({ type: e.type, retry: retry.has(name) }));
    }
    case GoalEventType.stop:
    case GoalEventType.forget:
    case GoalEventType.retried:
      return each(goal, e.names, () => ({ type: e.type }));
    case GoalEventType.restart: {
      const states = new Map(e.members.map((m) => [m.name, m.state]));
      return each(goal, [...states.keys()], (name) => ({ type: e.type, state: states.get(name)! }));
    }
    case GoalEventType.serviceDown:
      return each(goal, [e.name], () => ({ type: e.type, failed: e.failed }));
    case GoalEventType.shutdown: {
      // every intent becomes down (stepOne's rule for each service); the phase moves even when nothing is wanted
      const phase = stepOne(goal.phase, Intent.down, e, '').phase;
      return { phase, intents: new Map() };
    }
    default:
      return assertNever(e);
  }
}

function each(goal: GoalState, names: readonly string[], single: (name: string) => ServiceGoalEvent): GoalState {
  let intents: Map<string, Intent> | undefined;
  for (const name of names) {
    const before = intentOf(goal, name);
    const next = stepOne(goal.phase, before, single(name), name);
    if (next.intent === before) continue;
    intents ??= new Map(goal.intents);
    if (next.intent === Intent.down) intents.delete(name);
    else intents.set(name, next.intent);
  }
  return intents === undefined ? goal : { phase: goal.phase, intents };
}

/** One service's goal, (phase, intent), after one event: the table the unit test walks pair by pair. */
export function stepOne(phase: GoalPhase, intent: Intent, e: ServiceGoalEvent, name: string): { phase: GoalPhase; intent: Intent } {
  const impossible = (): never => {
    throw new ImpossibleGoalEventError(name, phase, intent, e.type);
  };
  const same = { phase, intent };
  const at = (next: Intent): { phase: GoalPhase; intent: Intent } => ({ phase, intent: next });
  if (phase !== GoalPhase.running && intent !== Intent.down) return impossible(); // the shutdown leaves nothing wanted
  switch (e.type) {
    case GoalEventType.start:
      if (phase !== GoalPhase.running) return impossible(); // requests are refused once shutdown is asked
      if (intent === Intent.down || intent === Intent.up) return at(e.retry ? Intent.retry : Intent.up);
      return same; // retry stays; a restart in progress already ends up
    case GoalEventType.stop:
    case GoalEventType.forget:
      return at(Intent.down);
    case GoalEventType.restart:
      if (phase !== GoalPhase.running) return impossible();
      // what is not wanted up is just started by the start request that follows; an inactive one has nothing to take down
      if (intent === Intent.down || e.state === ServiceState.inactive) return same;
      return at(e.state === ServiceState.failed ? Intent.retry : Intent.restart);
    case GoalEventType.shutdown:
      return { phase: e.hurry || phase === GoalPhase.hurry ? GoalPhase.hurry : GoalPhase.shutdown, intent: Intent.down };
    case GoalEventType.serviceDown:
      // a restart's first half is done: up again (a failed one gets its one more try)
      if (intent !== Intent.restart) return same;
      return at(e.failed ? Intent.retry : Intent.up);
    case GoalEventType.retried:
      return intent === Intent.retry ? at(Intent.up) : same;
    default:
      return assertNever(e);
  }
}
