// The convergence loop: one pass at a time (plan over the drivers' runs, then apply that pass's actions), run on
// every change: desired state, a run's state (the drivers' watches: how exits are noticed), a restart falling due,
// and every RESYNC_INTERVAL_MS as a safety net (a run lost with its anchor writes nothing). Keeps the
// workload id → driver map and the statuses the API serves; hands changed statuses to the reporter.
import { existsSync } from 'node:fs';
import type { Logger } from '@fortros/log';
import { RESYNC_INTERVAL_MS } from '../constants.js';
import type { WorkloadDriver } from '../driver/driver.js';
import type { WorkloadRecord } from '../plan/lifecycle.js';
import type { PlacementMember } from '../plan/placement.js';
import { type Action, type ObservedRun, type ObservedStatus, placementReason, plan } from '../plan/planner.js';
import type { WorkloadDriverKind, WorkloadSpec } from '../spec.js';
import { isLive } from '../plan/placement.js';

/** What a pass reads of the desired state (the maintainer link). */
export interface DesiredState {
  self: { id: string; name: string } | undefined;
  specs: ReadonlyMap<string, WorkloadSpec>;
  members: ReadonlyMap<string, PlacementMember>;
}

export interface ConvergerComponents {
  desired: DesiredState;
  drivers: ReadonlyMap<WorkloadDriverKind, WorkloadDriver>;
  logger: Logger;
  /** Statuses of this pass that differ from the last ones handed over (this node's, and unplaced workloads'). */
  onStatuses: (statuses: ObservedStatus[]) => void;
  /** While this file exists nothing is wanted here (node shutdown: fortros-workloads-drain). */
  drainFlag: string;
  now?: () => number;
}

export class Converger {
  private records = new Map<string, WorkloadRecord>();
  /** The last pass's status of each workload this node has a record of. */
  readonly statuses = new Map<string, ObservedStatus>();
  /** Which driver holds each workload's run (from the drivers' lists and the specs). */
  readonly driverOf = new Map<string, WorkloadDriverKind>();
  /** Running runs' pids, for ResolvePid. */
  readonly runningPids = new Map<string, number>();
  /** The start time (clock ticks) the driver checked each running main pid against, where it has one. */
  readonly runningStarts = new Map<string, number>();
  private readonly sent = new Map<string, string>();
  private readonly unplacedSince = new Map<string, number>();
  private readonly log: Logger;
  private readonly now: () => number;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private due = false;
  private interval: NodeJS.Timeout | undefined;
  private watches: { close(): void }[] = [];
  private wake: NodeJS.Timeout | undefined;
  private passes = 0;
  private passWaiters: (() => void)[] = [];

  constructor(private readonly c: ConvergerComponents) {
    this.log = c.logger.child({ component: 'reconciler:converger' });
    this.now = c.now ?? Date.now;
  }

  /** Starts passing; the first pass runs at once. */
  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    this.interval = setInterval(() => this.request(), RESYNC_INTERVAL_MS);
    for (const driver of this.c.drivers.values()) {
      let warned = false;
      const w = driver.watch?.({
        onChange: () => this.request(),
        onError: (err) => {
          if (warned) return;
          warned = true;
          this.log.warn('cannot watch the runs: exits are noticed by the periodic pass only', { driver: driver.kind, intervalMs: RESYNC_INTERVAL_MS, err: err.message });
        },
      });
      if (w) this.watches.push(w);
    }
    this.request();
  }

  /** Stops after the pass under way (its actions finish: a half-applied start would be adopted anyway). */
  async stop(): Promise<void> {
    if (!this.controller) return;
    this.controller.abort();
    this.controller = undefined;
    clearInterval(this.interval);
    clearTimeout(this.wake);
    for (const w of this.watches.splice(0)) w.close();
    await this.running;
  }

  /** A pass is due (a change). Passes never overlap; requests during one coalesce into the next. */
  request(): void {
    if (!this.controller) return;
    this.due = true;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  /** Resolves after the next pass that starts from now has finished. */
  nextPass(signal: AbortSignal): Promise<void> {
    const target = this.passes + (this.running ? 2 : 1); // a pass under way may have read the state before now
    this.request();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.passes >= target) resolve();
        else this.passWaiters.push(check);
      };
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      check();
    });
  }

  private async loop(): Promise<void> {
    while (this.due && this.controller) {
      this.due = false;
      try {
        await this.pass(this.controller.signal);
      } catch (err) {
        if (this.controller?.signal.aborted) return;
        this.log.error('pass failed', { err: (err as Error).stack ?? String(err) });
      }
      this.passes++;
      for (const w of this.passWaiters.splice(0)) w();
    }
  }

  private async pass(signal: AbortSignal): Promise<void> {
    const self = this.c.desired.self;
    if (self === undefined) return; // not connected yet: nothing is known of what is wanted
    const observed = new Map<string, ObservedRun>();
    for (const [kind, driver] of this.c.drivers) {
      for (const [id, run] of await driver.list({ signal })) {
        observed.set(id, run);
        this.driverOf.set(id, kind);
      }
    }
    const draining = existsSync(this.c.drainFlag);
    const specs = draining ? [] : [...this.c.desired.specs.values()];
    const members = [...this.c.desired.members.values()];
    const now = this.now();
    const out = plan({ self, specs, members, observed, records: this.records, now });
    this.records = out.records;
    this.runningPids.clear();
    this.runningStarts.clear();
    for (const [id, run] of observed) {
      if (run.state !== 'running') continue;
      this.runningPids.set(id, run.pid);
      if (run.startTime !== undefined) this.runningStarts.set(id, run.startTime);
    }
    const statuses: ObservedStatus[] = [];
    let acted = false;
    for (const action of out.actions) {
      if (action.type === 'report') statuses.push(action.status);
      else acted = (await this.apply(action, signal)) || acted;
    }
    this.statuses.clear();
    for (const s of statuses) this.statuses.set(s.workload, s);
    for (const id of this.driverOf.keys()) if (!observed.has(id) && !this.records.has(id)) this.driverOf.delete(id);
    statuses.push(...this.unplaced(self.id, specs, members, now));
    this.handOver(statuses);
    if (acted) this.due = true; // see what the actions led to at once (a start's pid, a stop's end)
  }

  /** Applies one action; true when it changed a run. Driver failures are recorded by the driver (a reason). */
  private async apply(action: Exclude<Action, { type: 'report' }>, signal: AbortSignal): Promise<boolean> {
    if (action.type === 'restart-at') {
      clearTimeout(this.wake);
      this.wake = setTimeout(() => this.request(), Math.max(0, action.at - this.now()));
      return false;
    }
    const id = action.type === 'start' ? action.spec.id : action.id;
    const kind = action.type === 'start' ? action.spec.driver : this.driverOf.get(id);
    const driver = kind === undefined ? undefined : this.c.drivers.get(kind);
    if (!driver) {
      this.log.warn('no driver for a workload', { workload: id, driver: kind });
      return false;
    }
    try {
      if (action.type === 'start') {
        this.driverOf.set(id, driver.kind);
        const run = await driver.start(action.spec, { signal });
        this.log.info('started', { workload: id, pid: run.pid });
      } else if (action.type === 'stop') {
        await driver.stop(id, { signal });
        this.log.info('stopped', { workload: id });
      } else {
        await driver.remove(id, { signal });
      }
    } catch (err) {
      if (signal.aborted) throw err;
      this.log.warn(`${action.type} failed`, { workload: id, err: (err as Error).message });
    }
    return true;
  }

  /**
   * Workloads placed by selector that match no live node run nowhere, so no node has a record to report. The rule:
   * the live member with the lowest id reports them (every node computes the same one from the same membership).
   */
  private unplaced(selfId: string, specs: readonly WorkloadSpec[], members: readonly PlacementMember[], now: number): ObservedStatus[] {
    const live = members.filter(isLive).map((m) => m.id).sort();
    const reporter = live[0] ?? selfId;
    const out: ObservedStatus[] = [];
    const seen = new Set<string>();
    if (reporter !== selfId) {
      this.unplacedSince.clear();
      return out;
    }
    for (const spec of specs) {
      const reason = placementReason(spec, members);
      if (reason === undefined || this.records.has(spec.id)) continue;
      seen.add(spec.id);
      const since = this.unplacedSince.get(spec.id) ?? now;
      this.unplacedSince.set(spec.id, since);
      out.push({ workload: spec.id, phase: 'pending', pid: null, restarts: 0, since: new Date(since).toISOString(), lastExit: null, reason });
    }
    for (const id of this.unplacedSince.keys()) if (!seen.has(id)) this.unplacedSince.delete(id);
    return out;
  }

  private handOver(statuses: ObservedStatus[]): void {
    const changed = statuses.filter((s) => {
      const json = JSON.stringify(s);
      if (this.sent.get(s.workload) === json) return false;
      this.sent.set(s.workload, json);
      return true;
    });
    const current = new Set(statuses.map((s) => s.workload));
    for (const id of this.sent.keys()) if (!current.has(id)) this.sent.delete(id);
    if (changed.length > 0) this.c.onStatuses(changed);
  }
}
