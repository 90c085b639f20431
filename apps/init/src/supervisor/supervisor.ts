// The Supervisor: owns the service records and runs the one event loop that drives every lifecycle.
import { EventEmitter } from 'node:events';
import type { Logger } from '@fortros/log';
import type { CompiledTree } from '@fortros/servicedir';
import type { Clock } from '../clock.js';
import { MAX_QUEUED_CONTROL, MAX_QUEUED_RESCANS, MAX_RECONCILE_PASSES_PER_SERVICE } from '../constants.js';
import { RequestSupersededError, ServiceNotRunningError, SupervisorStoppedError, TooManyRequestsError, UnknownServiceError } from '../errors.js';
import type { OutputFactory } from '../output/output-sink.js';
import { createCloexecPipe, type PipeMaker } from '../process/pipe.js';
import type { Spawner } from '../process/spawner.js';
import { EventType, ServiceState, step, type ServiceEvent } from '../service/lifecycle.js';
import { isDown, type ServiceRecord, type ServiceTimeline } from '../service/service-record.js';
import { toStatus, type ServiceStatus } from '../service/service-status.js';
import { Executor, TIMER_EVENT, type ExecutorInput } from './executor.js';
import { Goal, type Control } from './goal.js';
import { reconcile } from './reconcile.js';
import { Pipelines } from './pipelines.js';
import { adoptDefinition, applyRescan, canAdopt, definitionsInForce, unload } from './rescan.js';
import { fingerprintScripts, type ScriptFingerprints } from './script-fingerprints.js';
import { logChange, noteEntered, type ServiceStateChange } from './transitions.js';
import { ServiceGraph } from './service-graph.js';
import type { ReloadResult } from './tree-diff.js';
import { Waiters, type WaitCheck } from './waiters.js';

export type { ServiceStateChange } from './transitions.js';
export type { ReloadResult } from './tree-diff.js';

export interface SupervisorComponents {
  clock: Clock;
  spawner: Spawner;
  logger: Logger;
  output: OutputFactory;
  /** Base environment of services (default: init's own). */
  env?: NodeJS.ProcessEnv;
  /** Makes the pipes of log pipelines (default: pipe2 with O_CLOEXEC). */
  makePipe?: PipeMaker;
}

export interface SupervisorEvents {
  /** A service changed state (or, in the same state, its reason). */
  'service:state': [ServiceStateChange];
}

export interface CallOptions {
  signal?: AbortSignal;
}

export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly graph: ServiceGraph;
  private readonly exec: Executor;
  private readonly log: Logger;
  private readonly waiters = new Waiters();
  // inputs, drained in the order listed (see drain())
  private readonly processInputs: ExecutorInput[] = [];
  private readonly timerInputs: ExecutorInput[] = [];
  private readonly controlInputs: Control[] = [];
  private readonly goal = new Goal();
  /** Set as soon as shutdown() is called (the goal changes when the loop takes the request). */
  private shutdownCalled = false;
  private started = false;
  private scheduled = false;
  private shutdownPromise?: Promise<void>;
  private stopPromise?: Promise<void>;
  private readonly abort = new AbortController();
  private readonly pipelines: Pipelines;
  /** Script fingerprints of the tree last loaded (rescans compare against them); filled at start(). */
  private scripts: ScriptFingerprints = new Map();
  private scriptsTaken?: Promise<void>;
  /** Rescans run one at a time, in the order asked. */
  private rescans: Promise<unknown> = Promise.resolve();
  private queuedRescans = 0;
  /** A record became a load failure: rebuild the graph at the end of the turn. */
  private graphDirty = false;

  constructor(tree: CompiledTree, private readonly c: SupervisorComponents) {
    super();
    this.log = c.logger.child({ component: 'init:supervisor' });
    this.graph = new ServiceGraph(tree, c.clock.now());
    this.pipelines = new Pipelines(c.makePipe ?? createCloexecPipe, this.log);
    this.exec = new Executor({ ...c, logger: this.log, env: c.env ?? process.env, pipelines: this.pipelines }, (input) => {
      (input.kind === 'process' ? this.processInputs : this.timerInputs).push(input);
      this.schedule();
    });
  }

  // ---- Startable ----

  start(): void {
    this.started = true;
    this.scriptsTaken ??= fingerprintScripts(this.graph.tree, { signal: this.abort.signal }).then(
      (m) => void (this.scripts = m),
      () => undefined,
    );
    this.schedule();
  }

  /** Shut every service down (as `shutdown()`), then stop processing. Idempotent. */
  stop(): Promise<void> {
    this.start();
    this.stopPromise ??= this.shutdown().then(() => {
      this.abort.abort(new SupervisorStoppedError('call'));
      this.waiters.rejectAll(new SupervisorStoppedError('wait'));
      for (const r of this.graph.records.values()) this.exec.cancelTimers(r);
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
      return this.waitFor(() => this.goal.started(this.graph, name), options);
    });
  }

  /** Stop `name` after everything that depends on it. Resolves once all of it is down. */
  stopService(name: string, options: CallOptions & { force?: boolean } = {}): Promise<void> {
    return this.call(() => {
      const names = this.graph.stopSet(name, options.force === true);
      this.control({ type: 'stop', names });
      return this.waitFor<void>(() => {
        if (names.some((n) => this.goal.wanted.has(n))) return new RequestSupersededError(name, 'stop');
        const down = (n: string): boolean => {
          const r = this.graph.records.get(n);
          return r === undefined || isDown(r); // a rescan dropped it: down for good
        };
        return names.every(down) ? { value: undefined } : undefined;
      }, options);
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
        seenDown ||= members.every((m) => !this.goal.restarting.has(m));
        return seenDown ? this.goal.started(this.graph, name) : undefined;
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
    return this.call(() => {
      if (this.queuedRescans >= MAX_QUEUED_RESCANS) throw new TooManyRequestsError('rescans', MAX_QUEUED_RESCANS);
      this.queuedRescans++;
      const signal = options.signal ? AbortSignal.any([options.signal, this.abort.signal]) : this.abort.signal;
      const run = async (): Promise<ReloadResult> => {
        await this.scriptsTaken;
        const scripts = await fingerprintScripts(tree, { signal });
        return this.call(() => new Promise<ReloadResult>((resolve) => this.control({ type: 'reload', tree, scripts, done: resolve })));
      };
      const done = this.rescans.then(run);
      this.rescans = done.catch(() => undefined).finally(() => this.queuedRescans--);
      return done;
    });
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
    return this.waiters.add(check, options.signal ? AbortSignal.any([options.signal, this.abort.signal]) : this.abort.signal);
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
   * 2. timer inputs (timeouts, backoff): stale ones (cancelled or re-armed) are dropped;
   * 3. control inputs (start/stop/restart/signal/shutdown): intents, applied to the now-current state;
   * 4. reconcile: move every service toward the goal until nothing changes;
   * 5. pending rescan changes of services now down (new definitions, load failures, removals), then 4 again;
   * 6. settle waiters (promises of control calls).
   */
  private drain(): void {
    this.scheduled = false;
    while (this.processInputs.length + this.timerInputs.length + this.controlInputs.length > 0) {
      for (const input of this.processInputs.splice(0)) this.onInput(input);
      for (const input of this.timerInputs.splice(0)) this.onInput(input);
      for (const c of this.controlInputs.splice(0)) this.onControl(c);
      this.reconcileAll();
    }
    // 5. rescan changes a service can take now (it went down), which may move others: reconcile again
    do this.reconcileAll();
    while (this.settleDefinitions());
    this.waiters.settle();
  }

  private onInput(input: ExecutorInput): void {
    const r = this.graph.records.get(input.name);
    if (r === undefined) return;
    if (input.kind === 'timer') {
      if (r.timers.get(input.timer)?.token !== input.token) return; // cancelled or re-armed
      r.timers.delete(input.timer);
      this.apply(r, { type: TIMER_EVENT[input.timer] } as ServiceEvent);
      return;
    }
    if (r.procs.get(input.proc) !== input.id) return; // from a process of an earlier run
    const t = input.event.type;
    if (t === EventType.exited || t === EventType.finishExited || t === EventType.upSucceeded || t === EventType.upFailed || t === EventType.downDone) {
      r.procs.delete(input.proc);
    }
    this.apply(r, input.event);
  }

  private onControl(c: Control): void {
    switch (c.type) {
      case 'start': // names a rescan dropped meanwhile are not wanted (their waiter fails: unknown service)
        return this.goal.start(c.names.filter((n) => this.graph.records.has(n)), c.retry);
      case 'stop':
        return this.goal.stop(c.names);
      case 'restart':
        return this.goal.restart(c.members, (n) => this.graph.records.get(n)?.state ?? ServiceState.inactive);
      case 'signal': {
        const r = this.graph.records.get(c.name);
        if (r === undefined) return c.done(new UnknownServiceError(c.name));
        if (r.mem.pid === 0) return c.done(new ServiceNotRunningError(c.name));
        this.c.spawner.kill(r.mem.pid, c.signal);
        this.log.info('signal sent', { service: c.name, signal: c.signal, pid: r.mem.pid });
        return c.done();
      }
      case 'shutdown':
        this.log.info(c.hurry ? 'shutdown hurried' : 'shutdown', {});
        this.goal.beginShutdown(c.hurry);
        if (c.hurry) for (const r of this.graph.records.values()) if (r.def) this.apply(r, { type: EventType.hurry });
        return;
      case 'logStatus':
        for (const s of this.snapshot()) this.log.info('status', { ...s, service: s.name });
        this.log.info('status done', { services: this.graph.order.length });
        return;
      case 'reload': {
        const { result, dropped } = applyRescan(this.graph, this.goal, c.tree, { before: this.scripts, after: c.scripts }, this.c.clock.now());
        this.scripts = c.scripts;
        this.graphChanged(dropped);
        this.log.info('rescan', { added: result.added, removed: result.removed, changed: result.changed, failed: result.failed.map((f) => f.name) });
        for (const f of result.failed) this.log.warn('service failed to load on rescan', { service: f.name, reason: f.reason });
        return c.done(result);
      }
    }
  }

  /**
   * Take the pending rescan changes that can be taken now (a load failure once the service is down) and drop
   * removed services once down. Returns whether anything changed (reconcile again).
   */
  private settleDefinitions(): boolean {
    let changed = false;
    for (const r of [...this.graph.records.values()]) {
      if (r.pending?.kind === 'removal') this.graphDirty ||= isDown(r);
      else if (canAdopt(r)) changed = this.adopt(r) || changed;
    }
    if (!this.graphDirty) return changed;
    this.graphDirty = false;
    this.graphChanged(this.graph.rebuild(this.c.clock.now()));
    return true;
  }

  /** Take `r`'s pending change (canAdopt(r) holds). Returns true when it became a load failure. */
  private adopt(r: ServiceRecord): boolean {
    const p = r.pending!;
    r.pending = undefined;
    if (p.kind === 'definition') {
      adoptDefinition(r, p.def);
      this.log.info('definition taken', { service: r.name });
      return false;
    }
    if (p.kind !== 'loadFailure') return false;
    this.apply(r, { type: EventType.loadFailed, reason: p.reason });
    unload(r);
    this.graphDirty = true;
    return true;
  }

  private graphChanged(dropped: readonly string[]): void {
    for (const n of dropped) {
      this.goal.forget(n);
      this.exec.forget(n);
      this.log.info('service removed', { service: n });
    }
    this.pipelines.prune(definitionsInForce(this.graph.records.values()));
  }

  private reconcileAll(): void {
    const limit = Math.max(1, this.graph.records.size * MAX_RECONCILE_PASSES_PER_SERVICE);
    for (let pass = 0; pass < limit; pass++) {
      let changed = false;
      const retried = [...this.goal.retry]; // one try each; a failure during this pass may ask for another
      for (const { name, event } of reconcile(this.graph, this.goal)) changed = this.apply(this.graph.records.get(name)!, event) || changed;
      for (const n of retried) this.goal.retry.delete(n);
      if (!changed) return;
    }
    this.log.error('reconcile did not settle', { passes: limit });
  }

  /** Step one service; returns whether its state, reason or waitingOn changed. */
  private apply(r: ServiceRecord, event: ServiceEvent): boolean {
    if (r.def === undefined) return false;
    // a rescan's change is taken before the event that would start the service again (or, broken, instead of it)
    if (r.pending !== undefined && canAdopt(r) && this.adopt(r)) return true;
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
    if (t.state !== from) noteEntered(r, from, event, now);
    if (changed) this.emit('service:state', logChange(this.log, r, from, now));
    for (const fb of this.exec.execute(r, t.actions, now)) {
      if (fb.type === EventType.spawned && (fb.proc === 'run' || fb.proc === 'up')) r.timeline.spawnedAt = now;
      this.apply(r, fb);
    }
    if (this.goal.restarting.has(r.name) && (r.state === ServiceState.inactive || r.state === ServiceState.failed) && r.procs.size === 0) {
      this.goal.restarting.delete(r.name);
      if (r.state === ServiceState.failed) this.goal.retry.add(r.name);
    }
    return changed;
  }
}
