// Rescans as the supervisor runs them: queued one at a time, applied by the loop, pending changes taken once down.
import type { Logger } from '@fortros/log';
import type { CompiledTree } from '@fortros/servicedir';
import type { Clock } from '../clock.js';
import { MAX_QUEUED_RESCANS } from '../constants.js';
import { TooManyRequestsError } from '../errors.js';
import { EventType, type ServiceEvent } from '../service/lifecycle.js';
import { isDown, type ServiceRecord } from '../service/service-record.js';
import type { Executor } from './executor.js';
import { GoalEventType, type Goal } from './goal.js';
import type { Pipelines } from './pipelines.js';
import { adoptDefinition, applyRescan, canAdopt, definitionsInForce, unload } from './rescan.js';
import { fingerprintScripts, type ScriptFingerprints } from './script-fingerprints.js';
import type { ServiceGraph } from './service-graph.js';
import type { ReloadResult } from './tree-diff.js';

export interface RescannerComponents {
  graph: ServiceGraph;
  goal: Goal;
  clock: Clock;
  log: Logger;
  /** Closes the output sink of a service the tree dropped. */
  exec: Pick<Executor, 'forget'>;
  pipelines: Pick<Pipelines, 'prune'>;
  /** Steps one service (the supervisor's `apply`): a load failure is taken as the `loadFailed` event. */
  step(r: ServiceRecord, event: ServiceEvent): boolean;
}

export class Rescanner {
  /** Script fingerprints of the tree last loaded (rescans compare against them); filled at start(). */
  private scripts: ScriptFingerprints = new Map();
  private scriptsTaken?: Promise<void>;
  /** Rescans run one at a time, in the order asked. */
  private rescans: Promise<unknown> = Promise.resolve();
  private queuedRescans = 0;
  /** A record became a load failure: rebuild the graph at the end of the turn. */
  private graphDirty = false;

  constructor(private readonly c: RescannerComponents) {}

  /** Fingerprint the scripts of the tree loaded at boot, once. */
  start(signal: AbortSignal): void {
    this.scriptsTaken ??= fingerprintScripts(this.c.graph.tree, { signal }).then(
      (m) => void (this.scripts = m),
      () => undefined,
    );
  }

  /**
   * Queue a rescan of `tree` behind the ones asked before: once they are done, fingerprint its scripts and
   * `submit` them (the supervisor queues a `reload` control input, which the loop hands to apply()).
   */
  queue(tree: CompiledTree, signal: AbortSignal, submit: (scripts: ScriptFingerprints) => Promise<ReloadResult>): Promise<ReloadResult> {
    if (this.queuedRescans >= MAX_QUEUED_RESCANS) throw new TooManyRequestsError('rescans', MAX_QUEUED_RESCANS);
    this.queuedRescans++;
    const run = async (): Promise<ReloadResult> => {
      await this.scriptsTaken;
      return submit(await fingerprintScripts(tree, { signal }));
    };
    const done = this.rescans.then(run);
    this.rescans = done.catch(() => undefined).finally(() => this.queuedRescans--);
    return done;
  }

  /** The loop takes a `reload` input: load `tree` into the graph, re-derive the goal, log what changed. */
  apply(tree: CompiledTree, scripts: ScriptFingerprints): ReloadResult {
    const { graph, goal, log } = this.c;
    const { result, dropped } = applyRescan(graph, goal, tree, { before: this.scripts, after: scripts }, this.c.clock.now());
    this.scripts = scripts;
    this.graphChanged(dropped);
    log.info('rescan', { added: result.added, removed: result.removed, changed: result.changed, failed: result.failed.map((f) => f.name) });
    for (const f of result.failed) log.warn('service failed to load on rescan', { service: f.name, reason: f.reason });
    return result;
  }

  /**
   * Take the pending rescan changes that can be taken now (a load failure once the service is down) and drop
   * removed services once down. Returns whether anything changed (reconcile again).
   */
  settle(): boolean {
    let changed = false;
    for (const r of [...this.c.graph.records.values()]) {
      if (r.pending?.kind === 'removal') this.graphDirty ||= isDown(r);
      else if (canAdopt(r)) changed = this.adopt(r) || changed;
    }
    if (!this.graphDirty) return changed;
    this.graphDirty = false;
    this.graphChanged(this.c.graph.rebuild(this.c.clock.now()));
    return true;
  }

  /**
   * Before `r` is stepped: take its pending change if it can be taken now, so the event that would start the
   * service again runs its new definition. Returns true when `r` became a load failure (the event is dropped).
   */
  adoptBeforeStep(r: ServiceRecord): boolean {
    return r.pending !== undefined && canAdopt(r) && this.adopt(r);
  }

  /** Take `r`'s pending change (canAdopt(r) holds). Returns true when it became a load failure. */
  private adopt(r: ServiceRecord): boolean {
    const p = r.pending!;
    r.pending = undefined;
    if (p.kind === 'definition') {
      adoptDefinition(r, p.def);
      this.c.log.info('definition taken', { service: r.name });
      return false;
    }
    if (p.kind !== 'loadFailure') return false;
    this.c.step(r, { type: EventType.loadFailed, reason: p.reason });
    unload(r);
    this.graphDirty = true;
    return true;
  }

  private graphChanged(dropped: readonly string[]): void {
    this.c.goal.feed({ type: GoalEventType.forget, names: dropped });
    for (const n of dropped) {
      this.c.exec.forget(n);
      this.c.log.info('service removed', { service: n });
    }
    this.c.pipelines.prune(definitionsInForce(this.c.graph.records.values()));
  }
}
