// The Supervisor: owns the service records and runs the one event loop that drives every lifecycle.
import { EventEmitter } from 'node:events';
import type { Logger } from '@fortros/log';
import type { CompiledTree } from '@fortros/servicedir';
import { MAX_QUEUED_CONTROL, MAX_RECONCILE_PASSES_PER_SERVICE } from '../constants.js';
import { SupervisorStoppedError, TooManyRequestsError } from '../errors.js';
import { HealthMonitor } from '../health/health-monitor.js';
import { createHealthProber } from '../health/health-probes.js';
import { createCloexecPipe } from '../process/pipe.js';
import { EventType, ServiceState, step, type ServiceEvent } from '../service/lifecycle.js';
import { isDown, type ServiceRecord, type ServiceTimeline } from '../service/service-record.js';
import { toStatus, type ServiceStatus } from '../service/service-status.js';
import { applyControl, type Control, type ControlTargets } from './control-inputs.js';
import { Executor, type ExecutorInput } from './executor.js';
import { Goal, GoalEventType, Intent, namesWith } from './goal.js';
import { reconcile } from './reconcile.js';
import { Pipelines } from './pipelines.js';
import { Rescanner } from './rescanner.js';
import { restartTakenDown, startOutcome, stopOutcome } from './request-outcomes.js';
import { logChange, noteEntered } from './transitions.js';
import { ServiceGraph } from './service-graph.js';
import type { CallOptions, SupervisorComponents, SupervisorEvents } from './supervisor-components.js';
import type { ReloadResult } from './tree-diff.js';
import { Waiters, type WaitCheck } from './waiters.js';

export type { ServiceStateChange } from './transitions.js';
export type { ReloadResult } from './tree-diff.js';
export type { CallOptions, SupervisorComponents, SupervisorEvents } from './supervisor-components.js';

export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly graph: ServiceGraph;
  private readonly exec: Executor;
  private readonly log: Logger;
  private readonly waiters = new Waiters();
  // inputs, drained in the order listed (see drain())
  private readonly processInputs: ExecutorInput[] = [];
  private readonly timerInputs: ExecutorInput[] = [];
  private readonly controlInputs: Control[] = [];
  private readonly health: HealthMonitor;
  /** What the supervisor is asked for: changed only by events fed to it (goal.ts). */
  private readonly goal: Goal;
  /** Set as soon as shutdown() is called (the goal changes when the loop takes the request). */
  private shutdownCalled = false;
  private started = false;
  private scheduled = false;
  private shutdownPromise?: Promise<void>;
  private stopPromise?: Promise<void>;
  private readonly abort = new AbortController();
  private readonly pipelines: Pipelines;
  private readonly rescanner: Rescanner;
  /** What applying a control input touches (see control-inputs.ts). */
  private readonly controlTargets: ControlTargets;

  constructor(tree: CompiledTree, private readonly c: SupervisorComponents) {
    super();
    this.log = c.logger.child({ component: 'init:supervisor' });
    this.goal = new Goal((e, err) => this.log.error('goal refused an event', { event: e.type, err }));
    this.graph = new ServiceGraph(tree, c.clock.now());
    this.pipelines = new Pipelines(c.makePipe ?? createCloexecPipe, this.log);
    this.exec = new Executor({ ...c, logger: this.log, env: c.env ?? process.env, pipelines: this.pipelines }, (input) => {
      (input.kind === 'process' ? this.processInputs : this.timerInputs).push(input);
      this.schedule();
    });
    const record = (name: string): ServiceRecord | undefined => this.graph.records.get(name);
    const restart = (r: ServiceRecord, reason: string): void => this.healthRestart(r, reason);
    this.health = new HealthMonitor({ clock: c.clock, prober: c.prober ?? createHealthProber(c), log: this.log, envOf: (r) => this.exec.envOf(r), record, wake: () => this.schedule(), restart });
    const step = (r: ServiceRecord, event: ServiceEvent): boolean => this.apply(r, event);
    const { graph, goal, pipelines, log } = this;
    this.rescanner = new Rescanner({ graph, goal, clock: c.clock, log, exec: this.exec, pipelines, step });
    this.controlTargets = { graph, goal, spawner: c.spawner, log, rescanner: this.rescanner, step, snapshot: () => this.snapshot() };
  }

  // ---- Startable ----

  start(): void {
    this.started = true;
    this.rescanner.start(this.abort.signal);
    this.schedule();
  }

  /** Shut every service down (as `shutdown()`), then stop processing. Idempotent. */
  stop(): Promise<void> {
    this.start();
    this.stopPromise ??= this.shutdown().then(() => {
      this.abort.abort(new SupervisorStoppedError('call'));
      this.waiters.rejectAll(new SupervisorStoppedError('wait'));
      for (const r of this.graph.records.values()) this.exec.cancelTimers(r);
      this.health.forgetAll();
      this.exec.closeOutputs();
      this.pipelines.closeAll();
    });
    return this.stopPromise;
  }

  // ---- visibility ----

  snapshot(): ServiceStatus[] {
    return this.graph.order.map((n) => toStatus(this.graph.records.get(n)!));
  }

  status(name: string): ServiceStatus {
    return toStatus(this.graph.get(name));
  }

  timeline(name: string): ServiceTimeline {
    return { ...this.graph.get(name).timeline };
  }

  /** Names and direct dependencies (bundles: members), for `graph` views. */
  edges = (): Array<{ name: string; deps: string[] }> => this.graph.order.map((n) => ({ name: n, deps: [...this.graph.records.get(n)!.deps] }));

  // ---- control ----

  /** Want `name` (and its closure) up; failed members are tried again. Resolves once it is ready. */
  startService(name: string, options: CallOptions = {}): Promise<ServiceStatus> {
    return this.call(() => {
      const names = this.graph.startSet(name);
      const retry = names.filter((n) => this.graph.records.get(n)!.state === ServiceState.failed);
      this.control({ type: 'start', names, retry });
      return this.waitFor(() => startOutcome(this.goal.current, this.graph, name), options);
    });
  }

  /** Stop `name` after everything that depends on it. Resolves once all of it is down. */
  stopService(name: string, options: CallOptions & { force?: boolean } = {}): Promise<void> {
    return this.call(() => {
      const names = this.graph.stopSet(name, options.force === true);
      this.control({ type: 'stop', names });
      return this.waitFor(() => stopOutcome(this.goal.current, this.graph, name, names), options);
    });
  }

  /** Take `name` (its members) down and up again; dependents keep their state. Resolves once ready again. */
  restartService(name: string, options: CallOptions = {}): Promise<ServiceStatus> {
    return this.call(() => {
      const members = this.graph.members(name);
      const names = this.graph.startSet(name);
      this.control({ type: 'restart', members });
      this.control({ type: 'start', names, retry: [] });
      let seenDown = false;
      return this.waitFor(() => {
        seenDown ||= restartTakenDown(this.goal.current, members);
        return seenDown ? startOutcome(this.goal.current, this.graph, name) : undefined;
      }, options);
    });
  }

  /** Send a signal to the main process of `name` (a longrun's `run`, a oneshot's running script). */
  signalService(name: string, signal: NodeJS.Signals, options: CallOptions = {}): Promise<void> {
    return this.call(() => {
      this.graph.usable(name);
      options.signal?.throwIfAborted();
      return new Promise<void>((resolve, reject) => this.control({ type: 'signal', name, signal, done: (err) => (err ? reject(err) : resolve()) }));
    });
  }

  /**
   * Stop every service in reverse dependency order (essential ones last), then resolve. With `hurry` (a second
   * SIGTERM), the order is kept but every SIGKILL comes at most HURRY_KILL_AFTER_MS after the down signal.
   */
  shutdown(options: { hurry?: boolean } = {}): Promise<void> {
    if (!this.shutdownCalled || options.hurry) this.control({ type: 'shutdown', hurry: options.hurry === true }, true);
    this.shutdownCalled = true;
    this.shutdownPromise ??= this.waiters.add<void>(() => ([...this.graph.records.values()].every(isDown) ? { value: undefined } : undefined));
    return this.shutdownPromise;
  }

  /**
   * Rescan (SIGHUP): adopt `tree`, newly loaded from the same sources. New services are added, and started when
   * a wanted bundle or service needs them; removed ones are stopped (dependents first), then dropped; a changed
   * one keeps running and takes its new definition at its next start; a broken one keeps its old definition
   * until it is down, then is a load failure. Rescans run one at a time. See README "Rescan".
   */
  reload(tree: CompiledTree, options: CallOptions = {}): Promise<ReloadResult> {
    return this.call(() =>
      this.rescanner.queue(tree, this.signalOf(options), (scripts) =>
        this.call(() => new Promise<ReloadResult>((resolve) => this.control({ type: 'reload', tree, scripts, done: resolve }))),
      ),
    );
  }

  /** Log one record per service (SIGUSR1). */
  logStatus = (): void => this.control({ type: 'logStatus' }, true);

  private call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      if (this.shutdownCalled || this.abort.signal.aborted) throw new SupervisorStoppedError('request');
      return fn();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private waitFor<T>(check: WaitCheck<T>, options: CallOptions): Promise<T> {
    return this.waiters.add(check, this.signalOf(options));
  }

  /** The caller's signal, aborted as well when the supervisor stops. */
  private signalOf(options: CallOptions): AbortSignal {
    return options.signal ? AbortSignal.any([options.signal, this.abort.signal]) : this.abort.signal;
  }

  private control(c: Control, always = false): void {
    if (!always && this.controlInputs.length >= MAX_QUEUED_CONTROL) throw new TooManyRequestsError('control requests', MAX_QUEUED_CONTROL);
    this.controlInputs.push(c);
    this.schedule();
  }

  // ---- the event loop ----

  private schedule(): void {
    if (this.scheduled || !this.started) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  /**
   * One turn of the loop, read top to bottom:
   * 1. process inputs (spawn results, readiness, exits): facts about the world, first, so nothing below is stale;
   * 2. timer inputs (timeouts, backoff), then health-check timers and results: stale ones are dropped;
   * 3. control inputs (start/stop/restart/signal/shutdown/rescan): intents, applied to the now-current state;
   * 4. reconcile: move every service toward the goal until nothing changes;
   * 5. pending rescan changes of services now down (new definitions, load failures, removals), then 4 again;
   * 6. settle waiters (promises of control calls).
   */
  private drain(): void {
    this.scheduled = false;
    while (this.processInputs.length + this.timerInputs.length + this.controlInputs.length > 0 || this.health.hasInputs) {
      for (const input of this.processInputs.splice(0)) this.onInput(input);
      for (const input of this.timerInputs.splice(0)) this.onInput(input);
      this.health.drain();
      for (const c of this.controlInputs.splice(0)) applyControl(c, this.controlTargets);
      this.reconcileAll();
    }
    // 5. rescan changes a service can take now (it went down), which may move others: reconcile again
    do this.reconcileAll();
    while (this.rescanner.settle());
    this.waiters.settle();
  }

  /** A failing health check: say why on the event stream, then take the service down and up through the goal. */
  private healthRestart(r: ServiceRecord, reason: string): void {
    this.emit('service:state', { name: r.name, from: r.state, to: r.state, at: new Date(this.c.clock.now()).toISOString(), reason, pid: r.mem.pid });
    this.control({ type: 'restart', members: [r.name] }, true);
  }

  private onInput(input: ExecutorInput): void {
    const r = this.graph.records.get(input.name);
    if (r === undefined) return;
    const event = this.exec.eventOf(r, input); // undefined: stale
    if (event !== undefined) this.apply(r, event);
  }

  private reconcileAll(): void {
    const limit = Math.max(1, this.graph.records.size * MAX_RECONCILE_PASSES_PER_SERVICE);
    for (let pass = 0; pass < limit; pass++) {
      let changed = false;
      const retried = namesWith(this.goal.current, Intent.retry); // one try each; a failure during this pass may ask for another
      for (const { name, event } of reconcile(this.graph, this.goal.current)) changed = this.apply(this.graph.records.get(name)!, event) || changed;
      if (retried.length > 0) this.goal.feed({ type: GoalEventType.retried, names: retried });
      if (!changed) return;
    }
    this.log.error('reconcile did not settle', { passes: limit });
  }

  /** Step one service; returns whether its state, reason or waitingOn changed. */
  private apply(r: ServiceRecord, event: ServiceEvent): boolean {
    if (r.def === undefined) return false;
    // a rescan's change is taken before the event that would start the service again (or, broken, instead of it)
    if (this.rescanner.adoptBeforeStep(r)) return true;
    const now = this.c.clock.now();
    let t;
    try {
      t = step({ name: r.name, state: r.state, reason: r.reason, spec: r.spec, mem: r.mem }, event, now);
    } catch (err) {
      this.log.error('lifecycle step refused an event', { service: r.name, state: r.state, event: event.type, err });
      return false;
    }
    const from = r.state;
    const changed = t.state !== from || t.reason !== r.reason || t.mem.waitingOn.join() !== r.mem.waitingOn.join();
    r.mem = t.mem;
    r.reason = t.reason;
    r.state = t.state;
    if (t.state !== from) {
      noteEntered(r, from, event, now);
      this.health.onStateChange(r, from);
    }
    if (changed) this.emit('service:state', logChange(this.log, r, from, now));
    for (const fb of this.exec.execute(r, t.actions, now)) {
      if (fb.type === EventType.spawned && (fb.proc === 'run' || fb.proc === 'up')) r.timeline.spawnedAt = now;
      this.apply(r, fb);
    }
    if (isDown(r)) this.goal.feed({ type: GoalEventType.serviceDown, name: r.name, failed: r.state === ServiceState.failed });
    return changed;
  }
}
