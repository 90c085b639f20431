// The boot timeline: when each service was first spawned and first became ready in this boot.
import { ServiceState } from '../service/lifecycle.js';
import type { ServiceStateChange } from '../supervisor/supervisor.js';

export interface TimelineMark {
  spawnedAt?: number;
  readyAt?: number;
}

export class BootTimeline {
  readonly startedAt: number;
  completedAt: number | undefined;
  private readonly marks = new Map<string, TimelineMark>();

  constructor(now: number) {
    this.startedAt = now;
  }

  /** Record a state change; only the first spawn and first readiness of each service count. */
  note(change: ServiceStateChange): void {
    const at = Date.parse(change.at);
    let m = this.marks.get(change.name);
    if (!m) {
      m = {};
      this.marks.set(change.name, m);
    }
    if (change.to === ServiceState.starting && m.spawnedAt === undefined) m.spawnedAt = at;
    if (change.to === ServiceState.ready) {
      m.spawnedAt ??= at; // bundles and instant services: ready without a starting phase
      m.readyAt ??= at;
    }
  }

  mark(name: string): TimelineMark {
    return this.marks.get(name) ?? {};
  }

  complete(now: number): void {
    this.completedAt ??= now;
  }
}
