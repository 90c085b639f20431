// Rescan (SIGHUP): what a newly loaded tree means for each record, the goal that follows, and when a service
// takes a pending change (s6-rc: a live service keeps its definition until it stops). See README "Rescan".
import type { CompiledTree, ServiceDefinition } from '@fortros/servicedir';
import { ServiceState } from '../service/lifecycle.js';
import { specOf, type ServiceRecord } from '../service/service-record.js';
import { GoalEventType, isWanted, type Goal } from './goal.js';
import type { ScriptFingerprints } from './script-fingerprints.js';
import type { ServiceGraph } from './service-graph.js';
import { describeLoadFailure, diffTrees, sameDefinition, type ReloadResult } from './tree-diff.js';

/** The definition a record runs with at its next start; undefined when it failed to load. */
export function latestDefinition(r: ServiceRecord): ServiceDefinition | undefined {
  if (r.pending?.kind === 'definition') return r.pending.def;
  return r.pending?.kind === 'loadFailure' ? undefined : r.def;
}

/** Every definition in force: the ones services run with, and the ones they take at their next start. */
export function definitionsInForce(records: Iterable<ServiceRecord>): ServiceDefinition[] {
  const out: ServiceDefinition[] = [];
  for (const r of records) {
    if (r.def) out.push(r.def);
    if (r.pending?.kind === 'definition') out.push(r.pending.def);
  }
  return out;
}

/**
 * Mark each record with what `next` means for it, load `next` into the graph (returns the names dropped at
 * once: removed services already down) and re-derive the goal. `result` is what the rescan reports.
 */
export function applyRescan(
  graph: ServiceGraph,
  goal: Goal,
  next: CompiledTree,
  scripts: { before: ScriptFingerprints; after: ScriptFingerprints },
  now: number,
): { result: ReloadResult; dropped: string[] } {
  const known = new Map<string, ServiceDefinition | undefined>();
  for (const r of graph.records.values()) if (r.pending?.kind !== 'removal') known.set(r.name, latestDefinition(r));
  const result = diffTrees(known, next, scripts);
  for (const r of graph.records.values()) {
    const def = next.services.get(r.name);
    const problems = next.failed.get(r.name);
    if (def === undefined && problems === undefined) r.pending = { kind: 'removal' };
    else if (r.def === undefined) r.pending = undefined; // was a load failure: the graph makes a new record
    else if (problems !== undefined) r.pending = { kind: 'loadFailure', reason: describeLoadFailure(problems) };
    else if (sameDefinition(r.def, def!)) r.pending = undefined;
    else r.pending = { kind: 'definition', def: def! };
  }
  const dropped = graph.load(next, now);
  goal.feed({ type: GoalEventType.forget, names: dropped });
  regoal(graph, goal);
  return { result, dropped };
}

/**
 * The goal under the new edges: what a wanted service or bundle needs now (new members, new dependencies) is
 * wanted too; a removed service is stopped, dependents first (even essential ones: the operator removed it).
 */
function regoal(graph: ServiceGraph, goal: Goal): void {
  for (const name of [...goal.current.intents.keys()].filter((n) => isWanted(goal.current, n))) {
    const r = graph.records.get(name);
    if (r?.def === undefined || r.pending?.kind === 'removal' || r.pending?.kind === 'loadFailure') continue;
    try {
      goal.feed({ type: GoalEventType.start, names: graph.startSet(name), retry: [] });
    } catch {
      /* a closure through a broken service: that service is reported as failed, the rest stays as it is */
    }
  }
  for (const r of graph.records.values()) {
    if (r.pending?.kind !== 'removal' || r.def === undefined) continue;
    goal.feed({ type: GoalEventType.stop, names: r.type === 'bundle' ? [r.name] : graph.stopSet(r.name, true) });
    goal.feed({ type: GoalEventType.forget, names: [r.name] });
  }
}

/**
 * Whether `r` can take its pending definition or load failure now: no process of it lives and it is not up. A
 * crashed longrun also takes a new definition of the same type between two runs, so its respawn runs it.
 */
export function canAdopt(r: ServiceRecord): boolean {
  const p = r.pending;
  if (p === undefined || p.kind === 'removal' || r.def === undefined || r.procs.size > 0) return false;
  if (r.state === ServiceState.inactive || r.state === ServiceState.failed || r.state === ServiceState.blocked) return true;
  return p.kind === 'definition' && r.state === ServiceState.backoff && p.def.type === r.type;
}

export function adoptDefinition(r: ServiceRecord, def: ServiceDefinition): void {
  r.def = def;
  r.type = def.type;
  r.spec = specOf(def);
}

/** After the `loadFailed` step: the record becomes a load failure, as if it had failed at boot. */
export function unload(r: ServiceRecord): void {
  r.def = undefined;
  r.type = 'unknown';
  r.spec = specOf(undefined);
}
