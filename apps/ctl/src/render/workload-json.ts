// Observed workloads as DESIGN §6 names them (the spec's fields plus node, phase, pid, restarts, since, lastExit,
// reason), from the reconciler's WorkloadStatus or the maintainer's observed JSON, and as a table.
import type { ReconcilerV1 } from '@fortros/proto';
import { isoOf } from '@fortros/views';
import { renderTable } from './table.js';

export interface ObservedWorkloadJson extends Record<string, unknown> {
  workload: string;
  node: string;
  phase: string;
  pid: number | null;
  restarts: number;
  since: string | null;
  lastExit: { code: number | null; signal: string | null } | null;
  reason: string | null;
}

const PHASE_PREFIX = 'WORKLOAD_PHASE_';

function specOf(json: string): Record<string, unknown> {
  if (json === '') return {};
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function statusToJson(s: ReconcilerV1.WorkloadStatus__Output): ObservedWorkloadJson {
  const phase = String(s.phase);
  return {
    ...specOf(s.specJson),
    workload: s.workload,
    node: s.node,
    phase: phase.startsWith(PHASE_PREFIX) ? phase.slice(PHASE_PREFIX.length).toLowerCase() : phase,
    pid: s.pid ? s.pid : null,
    restarts: Number(s.restarts ?? 0),
    since: isoOf(s.since),
    lastExit: s.lastExit ? { code: s.lastExit.code ?? null, signal: s.lastExit.signal ? s.lastExit.signal : null } : null,
    reason: s.reason ? s.reason : null,
  };
}

/** The maintainer's observed status JSON, with the workload's desired spec (when there is one) merged in. */
export function observedToJson(observedJson: string, specs: ReadonlyMap<string, Record<string, unknown>>): ObservedWorkloadJson {
  const o = JSON.parse(observedJson) as ObservedWorkloadJson;
  return { ...(specs.get(o.workload) ?? {}), ...o, reason: o.reason ? o.reason : null };
}

/** `WORKLOAD NODE PHASE PID RESTARTS SINCE LAST-EXIT REASON` */
export function renderObservedTable(rows: readonly ObservedWorkloadJson[]): string[] {
  const exit = (e: ObservedWorkloadJson['lastExit']): string => (e === null ? '-' : e.signal ?? (e.code === null ? 'lost' : `code ${e.code}`));
  return renderTable(
    ['WORKLOAD', 'NODE', 'PHASE', 'PID', 'RESTARTS', 'SINCE', 'LAST-EXIT', 'REASON'],
    rows.map((w) => [w.workload, w.node, w.phase, w.pid === null ? '-' : String(w.pid), String(w.restarts), w.since ?? '-', exit(w.lastExit), w.reason ?? '']),
  );
}
