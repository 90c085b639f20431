// The planner (DESIGN §9): a pure function of (desired specs, members, observed local runs, records, now)
// returning the next records and the actions that converge this node. Level-triggered: run it on every change.
import { createHash } from 'node:crypto';
import { MAX_MEMBERS, MAX_WORKLOADS } from '../constants.js';
import type { WorkloadSpec } from '../spec.js';
import { type Effect, type ExitStatus, newRecord, step, type WorkloadEvent, type WorkloadRecord, WorkloadState } from './lifecycle.js';
import { placedOn, type PlacementMember } from './placement.js';

/** What a driver reports of one workload's run on this node (re-adopted runs included). */
export type ObservedRun =
  /** `startTime`: the main pid's /proc start time (clock ticks after boot) the driver checked it against, if it has one. */
  | { state: 'running'; pid: number; startedAt: number; startTime?: number }
  | { state: 'exited'; pid: number; exit: ExitStatus; startedAt: number; endedAt: number }
  /** The last start failed: the driver's error, and when. */
  | { state: 'start-failed'; error: string; at: number };

export interface PlanInput {
  self: { id: string; name: string };
  specs: readonly WorkloadSpec[];
  members: readonly PlacementMember[];
  observed: ReadonlyMap<string, ObservedRun>;
  records: ReadonlyMap<string, WorkloadRecord>;
  now: number;
}

export type Phase = 'pending' | 'running' | 'succeeded' | 'failed';

/** An observed status as DESIGN §6 names its fields (the maintainer's ReportObserved). */
export interface ObservedStatus {
  workload: string;
  phase: Phase;
  pid: number | null;
  restarts: number;
  since: string;
  lastExit: ExitStatus | null;
  reason: string;
}

export type Action =
  | { type: 'start'; spec: WorkloadSpec }
  | { type: 'stop'; id: string }
  /** Forget an ended run (its anchor state and, for oci, the container). */
  | { type: 'remove'; id: string }
  /** Run the planner again at `at` (the earliest restart due). */
  | { type: 'restart-at'; at: number }
  | { type: 'report'; status: ObservedStatus };

export interface PlanOutput {
  records: Map<string, WorkloadRecord>;
  actions: Action[];
}

/** A stable hash of a spec's content (key order does not matter): a changed spec restarts the workload. */
export function specHash(spec: WorkloadSpec): string {
  const canonical = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
      : Array.isArray(v) ? v.map(canonical) : v;
  // Placement (where), the restart policy (applied to the next exit) and key purposes (checked at each
  // derivation) do not change what runs: changing them must not restart a run.
  const { placement: _placement, restart: _restart, keys: _keys, ...what } = spec;
  return createHash('sha256').update(JSON.stringify(canonical(what))).digest('hex').slice(0, 16);
}

const PHASES: Record<WorkloadState, Phase> = {
  [WorkloadState.Starting]: 'pending',
  [WorkloadState.Backoff]: 'pending',
  [WorkloadState.Running]: 'running',
  [WorkloadState.Stopping]: 'running',
  [WorkloadState.Succeeded]: 'succeeded',
  [WorkloadState.Failed]: 'failed',
};

export function statusOf(r: WorkloadRecord): ObservedStatus {
  return {
    workload: r.id,
    phase: PHASES[r.state],
    pid: r.state === WorkloadState.Running || r.state === WorkloadState.Stopping ? (r.pid ?? null) : null,
    restarts: r.restarts,
    since: new Date(r.since).toISOString(),
    lastExit: r.lastExit ?? null,
    reason: r.reason ?? '',
  };
}

/** The events one pass derives for a workload from what is wanted and what the driver sees. */
function eventsFor(r: WorkloadRecord, wanted: boolean, hash: string | undefined, run: ObservedRun | undefined, now: number): WorkloadEvent[] {
  const events: WorkloadEvent[] = [];
  const live = r.state === WorkloadState.Starting || r.state === WorkloadState.Running || r.state === WorkloadState.Stopping;
  if (run?.state === 'running' && live && (r.state !== WorkloadState.Running || r.pid !== run.pid)) {
    events.push({ type: 'run:up', pid: run.pid, startedAt: run.startedAt });
  } else if (run?.state === 'exited' && live) {
    if (r.state === WorkloadState.Starting) events.push({ type: 'run:up', pid: run.pid, startedAt: run.startedAt });
    events.push({ type: 'run:exit', exit: run.exit, startedAt: run.startedAt, endedAt: run.endedAt });
  } else if (run?.state === 'start-failed' && r.state === WorkloadState.Starting && run.at >= r.since) {
    events.push({ type: 'start:failed', error: run.error });
  } else if ((run === undefined || run.state === 'start-failed') && (r.state === WorkloadState.Running || r.state === WorkloadState.Stopping)) {
    events.push({ type: 'run:gone' });
  }
  // A policy changed to one that restarts what ended counts as a changed spec: the ended run starts again.
  const restartable = (r.state === WorkloadState.Failed && r.policy !== 'never') || (r.state === WorkloadState.Succeeded && r.policy === 'always');
  if (!wanted) events.push({ type: 'unwanted' });
  else if (hash !== undefined && (hash !== r.specHash || restartable)) events.push({ type: 'spec:changed', specHash: hash });
  if (r.state === WorkloadState.Backoff && r.restartAt !== undefined && now >= r.restartAt) events.push({ type: 'timer' });
  return events;
}

/** One pass. Records absent from the output are forgotten. Statuses are reported for every record kept. */
export function plan(input: PlanInput): PlanOutput {
  const { self, now } = input;
  const members = input.members.slice(0, MAX_MEMBERS);
  const specs = new Map(input.specs.slice(0, MAX_WORKLOADS).map((s) => [s.id, s]));
  const ids = [...new Set([...specs.keys(), ...input.records.keys(), ...input.observed.keys()])].sort().slice(0, MAX_WORKLOADS);
  const records = new Map<string, WorkloadRecord>();
  const actions: Action[] = [];
  let wakeAt: number | undefined;

  for (const id of ids) {
    const spec = specs.get(id);
    const placed = spec === undefined ? undefined : placedOn(self, id, spec.placement, members);
    const wanted = placed?.here === true;
    const hash = spec === undefined ? undefined : specHash(spec);
    const run = input.observed.get(id);
    let record = input.records.get(id);
    if (record === undefined) {
      if (!wanted) {
        // A run no record knows and no spec wants here (adopted after its spec was deleted or moved): stop a live
        // one (tracked until gone), forget an ended one.
        if (run?.state === 'running') {
          record = { ...newRecord(id, 'never', hash ?? '', now), state: WorkloadState.Running, pid: run.pid, runStartedAt: run.startedAt };
        } else {
          if (run !== undefined) actions.push({ type: 'remove', id });
          continue;
        }
      } else {
        // New here, or adopted from a previous reconciler: a run that is already there is never started twice.
        record = newRecord(id, spec!.restart, hash!, now);
        if (run === undefined) actions.push({ type: 'start', spec: spec! });
        else if (run.state === 'start-failed') record.since = Math.min(now, run.at);
      }
    } else if (spec !== undefined) {
      record = { ...record, policy: spec.restart };
    }
    let current: WorkloadRecord | undefined = record;
    for (const event of eventsFor(record, wanted, hash, run, now)) {
      if (current === undefined) break;
      const result = step(current, event, now);
      current = result.record;
      for (const effect of result.effects) pushEffect(actions, effect, id, spec);
    }
    if (current === undefined) continue;
    records.set(id, current);
    if (current.state === WorkloadState.Backoff && current.restartAt !== undefined) wakeAt = Math.min(wakeAt ?? Infinity, current.restartAt);
    actions.push({ type: 'report', status: statusOf(current) });
  }
  if (wakeAt !== undefined) actions.push({ type: 'restart-at', at: wakeAt });
  return { records, actions };
}

function pushEffect(actions: Action[], effect: Effect, id: string, spec: WorkloadSpec | undefined): void {
  switch (effect.type) {
    case 'start':
      if (spec !== undefined) actions.push({ type: 'start', spec });
      return;
    case 'stop':
    case 'remove':
      actions.push({ type: effect.type, id });
      return;
    case 'wake':
      return; // gathered into one restart-at per pass
  }
}

/** Why a workload placed by selector runs nowhere (for the status of a workload no node reports). */
export function placementReason(spec: WorkloadSpec, members: readonly PlacementMember[]): string | undefined {
  if ('nodes' in spec.placement) return undefined;
  return placedOn({ id: '', name: '' }, spec.id, spec.placement, members).reason;
}
