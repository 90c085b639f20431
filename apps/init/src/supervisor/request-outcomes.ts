// How far a start or stop request has come, read from the goal and the records (the checks of its waiter).
import { DependencyFailedError, RequestSupersededError, ServiceFailedError } from '../errors.js';
import { ServiceState } from '../service/lifecycle.js';
import { isDown } from '../service/service-record.js';
import { toStatus, type ServiceStatus } from '../service/service-status.js';
import { intentOf, Intent, isWanted, type GoalState } from './goal.js';
import type { ServiceGraph } from './service-graph.js';

/** `undefined` = keep waiting; `{ value }` = done; an Error = failed. */
export type Outcome<T> = { value: T } | Error | undefined;

/** A stop request's outcome so far: all of `names` down (or dropped by a rescan), superseded, or pending. */
export function stopOutcome(goal: GoalState, graph: ServiceGraph, name: string, names: readonly string[]): Outcome<void> {
  if (names.some((n) => isWanted(goal, n))) return new RequestSupersededError(name, 'stop');
  const down = (n: string): boolean => {
    const r = graph.records.get(n);
    return r === undefined || isDown(r); // a rescan dropped it: down for good
  };
  return names.every(down) ? { value: undefined } : undefined;
}

/**
 * A start request's outcome so far: ready, failed (itself, or a dependency at any depth: a bundle waits on its
 * members, and they on theirs), superseded, or pending.
 */
export function startOutcome(goal: GoalState, graph: ServiceGraph, name: string): Outcome<ServiceStatus> {
  const r = graph.get(name);
  if (!isWanted(goal, name)) return new RequestSupersededError(name, 'start');
  if (r.state === ServiceState.ready) return { value: toStatus(r) };
  const givenUp = (n: string): boolean => graph.records.get(n)?.state === ServiceState.failed && intentOf(goal, n) !== Intent.retry;
  if (givenUp(name)) return new ServiceFailedError(name, r.reason);
  if (r.state !== ServiceState.blocked) return undefined;
  const dep = failedBelow(graph, r.deps, givenUp, new Set());
  return dep !== undefined ? new DependencyFailedError(name, dep, graph.records.get(dep)!.reason) : undefined;
}

/** A given-up service among `deps`, or below one of them that is blocked (each name visited once). */
function failedBelow(graph: ServiceGraph, deps: readonly string[], givenUp: (n: string) => boolean, seen: Set<string>): string | undefined {
  for (const d of deps) {
    if (seen.has(d)) continue;
    seen.add(d);
    if (givenUp(d)) return d;
    const r = graph.records.get(d);
    const below = r?.state === ServiceState.blocked ? failedBelow(graph, r.deps, givenUp, seen) : undefined;
    if (below !== undefined) return below;
  }
  return undefined;
}

/** Whether the first half of a restart (taking `members` down) is over for every member. */
export function restartTakenDown(goal: GoalState, members: readonly string[]): boolean {
  return members.every((m) => intentOf(goal, m) !== Intent.restart);
}
