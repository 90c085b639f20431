// fortros.reconciler.v1.Reconciler's handlers: the converger's statuses, the workloads' logs, ResolvePid.
import { existsSync } from 'node:fs';
import { ProcessGoneError, type ProcFs } from '@fortros/procfs';
import { ReconcilerV1, toTimestamp } from '@fortros/proto';
import { defineService, InvalidArgumentError, NotFoundError, type ServiceRegistration } from '@fortros/rpc';
import { LOG_LINES_DEFAULT, LOG_LINES_MAX } from '../constants.js';
import type { ObservedStatus, Phase } from '../plan/planner.js';
import type { WorkloadSpec } from '../spec.js';
import { followLog, tailLog } from './workload-logs.js';

const PHASES: Record<Phase, ReconcilerV1.WorkloadPhase> = {
  pending: 'WORKLOAD_PHASE_PENDING',
  running: 'WORKLOAD_PHASE_RUNNING',
  succeeded: 'WORKLOAD_PHASE_SUCCEEDED',
  failed: 'WORKLOAD_PHASE_FAILED',
};

/** What the API reads: the converger's last pass and the desired specs. */
export interface ReconcilerView {
  nodeId(): string;
  statuses: ReadonlyMap<string, ObservedStatus>;
  specs: ReadonlyMap<string, WorkloadSpec>;
  runningPids: ReadonlyMap<string, number>;
  /** Each running main pid's start time as its driver recorded it (clock ticks); absent: none recorded. */
  runningStarts?: ReadonlyMap<string, number>;
  /** The log directory of a workload, whichever driver ran it. */
  logDir(id: string): string;
}

export function toWire(s: ObservedStatus, view: ReconcilerView): ReconcilerV1.WorkloadStatus {
  const spec = view.specs.get(s.workload);
  return {
    workload: s.workload,
    node: view.nodeId(),
    phase: PHASES[s.phase],
    pid: s.pid ?? 0,
    restarts: s.restarts,
    since: toTimestamp(new Date(s.since)),
    lastExit: s.lastExit === null ? null : { ...(s.lastExit.code === null ? {} : { code: s.lastExit.code }), signal: s.lastExit.signal ?? '' },
    reason: s.reason,
    specJson: spec === undefined ? '' : JSON.stringify(spec),
  };
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

function checkId(id: string): string {
  if (!ID.test(id)) throw new InvalidArgumentError(`id: expected a workload id, got ${JSON.stringify(id)}`);
  return id;
}

export function reconcilerApi(view: ReconcilerView, proc: ProcFs): ServiceRegistration {
  return defineService(ReconcilerV1.loadReconcilerApi(), {
    ListWorkloads: async () => ({ workloads: [...view.statuses.values()].sort((a, b) => (a.workload < b.workload ? -1 : 1)).map((s) => toWire(s, view)) }),

    GetWorkload: async (req) => {
      const s = view.statuses.get(checkId(req.id));
      if (!s) throw new NotFoundError(`workload ${req.id}: this node has no record of it`);
      return toWire(s, view);
    },

    ReadLogs: async (req, ctx) => {
      const id = checkId(req.id);
      const dir = view.logDir(id);
      if (!existsSync(dir)) throw new NotFoundError(`workload ${id}: no log on this node`);
      const n = Math.min(req.lines ?? LOG_LINES_DEFAULT, LOG_LINES_MAX);
      for (const l of await tailLog(dir, n)) await ctx.send({ workload: id, at: toTimestamp(l.at), line: l.line });
      if (!req.follow) return;
      for await (const l of followLog(dir, ctx.signal)) await ctx.send({ workload: id, at: toTimestamp(l.at), line: l.line });
    },

    ResolvePid: async (req) => {
      if (!Number.isSafeInteger(req.pid) || req.pid <= 0) throw new InvalidArgumentError(`pid: expected a positive pid, got ${req.pid}`);
      const byPid = new Map([...view.runningPids].map(([id, pid]) => [pid, id]));
      let chain;
      try {
        chain = proc.ancestry(req.pid);
      } catch (err) {
        if (err instanceof ProcessGoneError) return { found: false };
        throw err;
      }
      for (const p of chain) {
        const id = byPid.get(p.pid);
        if (id === undefined) continue;
        // the driver's recorded start time, when it has one: a main pid reused since the last pass is not the workload
        const recorded = view.runningStarts?.get(id);
        if (recorded !== undefined && recorded !== p.startTime) return { found: false };
        return { found: true, workload: id, workloadPid: p.pid, pidStartTime: p.startTime, keys: view.specs.get(id)?.keys ?? [] };
      }
      return { found: false };
    },
  });
}
