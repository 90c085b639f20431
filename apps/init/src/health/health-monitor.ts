// Runs each service's health-check machine: feeds it the service's state changes and its own timer and check
// results (as inputs through the supervisor's event loop), carries out its actions, and caps concurrent checks.
import type { Logger } from '@fortros/log';
import type { Clock, TimerHandle } from '../clock.js';
import { MAX_CONCURRENT_HEALTH_CHECKS } from '../constants.js';
import { ServiceState } from '../service/lifecycle.js';
import type { ServiceRecord } from '../service/service-record.js';
import { HealthActionType, HealthEventType, initialHealth, stepHealth, type HealthAction, type HealthEvent } from './health-model.js';
import type { HealthProber } from './health-probes.js';

/** A timer or check result, queued for the event loop; stale when its token is no longer the service's. */
export interface HealthInput {
  name: string;
  token: number;
  event: HealthEvent;
}

export interface HealthMonitorComponents {
  clock: Clock;
  prober: HealthProber;
  log: Logger;
  /** The environment of a service's processes (exec checks run in it). */
  envOf(r: ServiceRecord): NodeJS.ProcessEnv;
  /** The record of a service still in the tree. */
  record(name: string): ServiceRecord | undefined;
  /** Inputs were queued: the event loop should run a turn (and call drain()). */
  wake(): void;
  /** Restart the service through the goal (intent restart), for `reason`. */
  restart(r: ServiceRecord, reason: string): void;
}

/** What is pending for one service: its timer or its check (never both), known by `token`. */
interface Pending {
  token: number;
  timer?: TimerHandle;
  check?: AbortController;
  /** Waiting for a check slot. */
  queued?: () => void;
}

export class HealthMonitor {
  private seq = 0;
  private readonly pending = new Map<string, Pending>();
  private running = 0;
  private readonly slotQueue: Array<() => void> = [];
  private readonly inputs: HealthInput[] = [];

  constructor(private readonly c: HealthMonitorComponents) {}

  /** A service was stepped from `from` to `r.state`: feed its machine when it entered or left `ready`. */
  onStateChange(r: ServiceRecord, from: ServiceState): void {
    const nowReady = r.state === ServiceState.ready;
    if (nowReady === (from === ServiceState.ready)) return;
    if (nowReady && r.def?.health === undefined) {
      delete r.health; // a new definition without a check
      return;
    }
    if (r.health === undefined && !nowReady) return;
    this.feed(r, { type: nowReady ? HealthEventType.serviceReady : HealthEventType.serviceLeft });
  }

  get hasInputs(): boolean {
    return this.inputs.length > 0;
  }

  /** Feed the queued inputs (the event loop's turn); stale ones (cancelled timer, earlier check) are dropped. */
  drain(): void {
    for (const input of this.inputs.splice(0)) {
      const p = this.pending.get(input.name);
      const r = this.c.record(input.name);
      if (p === undefined || p.token !== input.token || r === undefined) continue;
      this.pending.delete(input.name);
      this.feed(r, input.event);
    }
  }

  private post(input: HealthInput): void {
    this.inputs.push(input);
    this.c.wake();
  }

  /** The supervisor stops: cancel every timer and check. */
  forgetAll(): void {
    for (const name of [...this.pending.keys()]) this.cancel(name);
  }

  private feed(r: ServiceRecord, e: HealthEvent): void {
    const spec = r.def?.health;
    if (spec === undefined) return;
    let t;
    try {
      t = stepHealth(r.health ?? initialHealth(), e, spec, this.c.clock.now());
    } catch (err) {
      this.c.log.error('health check step refused an event', { service: r.name, state: r.health?.state, event: e.type, err });
      return;
    }
    r.health = { state: t.state, mem: t.mem };
    if (e.type === HealthEventType.failed) this.c.log.info('health check failed', { service: r.name, failures: t.mem.consecutiveFailures, of: spec.retries, result: e.message });
    for (const a of t.actions) this.act(r, a);
  }

  private act(r: ServiceRecord, a: HealthAction): void {
    switch (a.type) {
      case HealthActionType.armTimer: {
        this.cancel(r.name);
        const token = ++this.seq;
        const timer = this.c.clock.setTimer(a.ms, () => this.post({ name: r.name, token, event: { type: HealthEventType.due } }));
        this.pending.set(r.name, { token, timer });
        return;
      }
      case HealthActionType.cancelTimer:
      case HealthActionType.cancelCheck:
        return this.cancel(r.name);
      case HealthActionType.runCheck:
        return this.runCheck(r);
      case HealthActionType.restart:
        this.c.log.warn('health check: restarting', { service: r.name, reason: a.reason });
        return this.c.restart(r, a.reason);
    }
  }

  /** Start a check now, or when one of the node's check slots frees up. */
  private runCheck(r: ServiceRecord): void {
    this.cancel(r.name);
    const spec = r.def!.health!;
    const token = ++this.seq;
    const check = new AbortController();
    const p: Pending = { token, check };
    this.pending.set(r.name, p);
    const start = (): void => {
      p.queued = undefined;
      this.running++;
      const ctx = { dir: r.def!.dir, env: this.c.envOf(r), timeoutMs: spec.timeoutMs, signal: check.signal };
      const outcome = this.c.prober.run(spec.probe, ctx).catch((err: Error) => ({ ok: false, message: `cannot check: ${err.message}` }));
      void outcome.then((outcome) => {
        this.release();
        const event: HealthEvent = outcome.ok ? { type: HealthEventType.passed, message: outcome.message } : { type: HealthEventType.failed, message: outcome.message };
        if (!check.signal.aborted) this.post({ name: r.name, token, event });
      });
    };
    if (this.running < MAX_CONCURRENT_HEALTH_CHECKS) return start();
    p.queued = start;
    this.slotQueue.push(start);
  }

  private release(): void {
    this.running--;
    this.slotQueue.shift()?.();
  }

  private cancel(name: string): void {
    const p = this.pending.get(name);
    if (p === undefined) return;
    this.pending.delete(name);
    p.timer?.cancel();
    p.check?.abort();
    if (p.queued) this.slotQueue.splice(this.slotQueue.indexOf(p.queued), 1);
  }
}
