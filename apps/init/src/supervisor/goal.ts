// What the supervisor is asked for (the goal reconcile moves toward), and how control requests change it.
import { DependencyFailedError, RequestSupersededError, ServiceFailedError } from '../errors.js';
import { ServiceState, StopMode } from '../service/lifecycle.js';
import { isDown } from '../service/service-record.js';
import { toStatus, type ServiceStatus } from '../service/service-status.js';
import type { ReconcileGoal } from './reconcile.js';
import type { ServiceGraph } from './service-graph.js';

export class Goal implements ReconcileGoal {
  readonly wanted = new Set<string>();
  readonly restarting = new Set<string>();
  readonly retry = new Set<string>();
  shutdown = false;
  stopMode = StopMode.normal;

  start(names: readonly string[], retry: readonly string[]): void {
    for (const n of names) this.wanted.add(n);
    for (const n of retry) this.retry.add(n);
  }

  stop(names: readonly string[]): void {
    for (const n of names) this.wanted.delete(n);
  }

  /** A service left the tree: nothing asks for it any more. */
  forget(name: string): void {
    this.wanted.delete(name);
    this.restarting.delete(name);
    this.retry.delete(name);
  }

  /**
   * Restart what runs (or tries to); a failed member is simply tried again; what is not wanted up is just
   * started by the start request that follows.
   */
  restart(members: readonly string[], stateOf: (name: string) => ServiceState): void {
    for (const n of members) {
      if (!this.wanted.has(n) || stateOf(n) === ServiceState.inactive) continue;
      if (stateOf(n) === ServiceState.failed) this.retry.add(n);
      else this.restarting.add(n);
    }
  }

  beginShutdown(hurry: boolean): void {
    this.shutdown = true;
    this.wanted.clear();
    this.restarting.clear();
    this.retry.clear();
    if (hurry) this.stopMode = StopMode.hurry;
    else if (this.stopMode !== StopMode.hurry) this.stopMode = StopMode.shutdown;
  }

  /** A stop request's outcome so far: all of `names` down (or dropped by a rescan), superseded, or pending. */
  stopped(graph: ServiceGraph, name: string, names: readonly string[]): { value: void } | Error | undefined {
    if (names.some((n) => this.wanted.has(n))) return new RequestSupersededError(name, 'stop');
    const down = (n: string): boolean => {
      const r = graph.records.get(n);
      return r === undefined || isDown(r); // a rescan dropped it: down for good
    };
    return names.every(down) ? { value: undefined } : undefined;
  }

  /** A start request's outcome so far: ready, failed (itself or a dependency), superseded, or pending. */
  started(graph: ServiceGraph, name: string): { value: ServiceStatus } | Error | undefined {
    const r = graph.get(name);
    if (!this.wanted.has(name)) return new RequestSupersededError(name, 'start');
    if (r.state === ServiceState.ready) return { value: toStatus(r) };
    if (r.state === ServiceState.failed && !this.retry.has(name)) return new ServiceFailedError(name, r.reason);
    if (r.state !== ServiceState.blocked) return undefined;
    const dep = r.deps.map((d) => graph.records.get(d)!).find((d) => d.state === ServiceState.failed && !this.retry.has(d.name));
    return dep ? new DependencyFailedError(name, dep.name, dep.reason) : undefined;
  }
}
