// Everything the console shows, read through the daemons' gRPC APIs and turned into DESIGN §6 JSON (@fortros/views).
import type { InitV1, MaintainerV1 } from '@fortros/proto';
import { InitV1 as InitApi, MaintainerV1 as MaintainerApi } from '@fortros/proto';
import { fromTimestamp } from '@fortros/proto/timestamp';
import { serverStream, unary } from '@fortros/rpc';
import { memberToJson, serviceToJson, workloadSpec, type MemberJson, type ServiceJson } from '@fortros/views';
import { DAEMON_CALL_TIMEOUT_MS, LOG_BACKLOG_LINES, MAX_LOG_LINE_CHARS } from '../constants.js';
import { DaemonDownError } from '../errors.js';
import { DaemonLink } from './daemon-link.js';

/** A workload as /api/workloads shows it: its spec, plus where it runs and how (null where nothing was observed). */
export type WorkloadJson = Record<string, unknown> & {
  id: string;
  node: string | null;
  phase: string | null;
  pid: number | null;
  restarts: number | null;
  since: string | null;
  /** `code` null when a signal ended it. */
  lastExit: { code: number | null; signal: string | null } | null;
  reason: string | null;
};

export interface LogLineJson {
  at: string | null;
  line: string;
}

export interface NodeSockets {
  initSocket: string;
  maintainerSocket: string;
  reconcilerSocket: string;
}

const call = { timeoutMs: DAEMON_CALL_TIMEOUT_MS };

/** The three daemons this console reads, each through its own socket. */
export class NodeReader {
  readonly init: DaemonLink<InitV1.InitClient>;
  readonly maintainer: DaemonLink<MaintainerV1.MaintainerClient>;
  readonly reconciler: { daemon: string; socket: string };

  constructor(sockets: NodeSockets) {
    this.init = new DaemonLink('fortros-init', sockets.initSocket, InitApi.loadInitApi);
    this.maintainer = new DaemonLink('fortros-maintainer', sockets.maintainerSocket, MaintainerApi.loadMaintainerApi);
    this.reconciler = { daemon: 'fortros-reconciler', socket: sockets.reconcilerSocket };
  }

  async services(): Promise<ServiceJson[]> {
    const r = await this.init.use((c) => unary(c, 'listServices', {}, call));
    return (r.services ?? []).map(serviceToJson);
  }

  async timeline(): Promise<InitV1.Timeline__Output> {
    return this.init.use((c) => unary(c, 'getTimeline', {}, call));
  }

  async members(): Promise<MemberJson[]> {
    const r = await this.maintainer.use((c) => unary(c, 'listMembers', {}, call));
    return (r.members ?? []).map(memberToJson);
  }

  /** One row per (workload, node it was observed on); a workload observed nowhere gets one row with node null. */
  async workloads(): Promise<WorkloadJson[]> {
    const [specs, observed] = await this.maintainer.use((c) =>
      Promise.all([unary(c, 'listWorkloads', {}, call), unary(c, 'listObserved', { node: '', workload: '' }, call)]),
    );
    const byWorkload = new Map<string, Record<string, unknown>[]>();
    for (const o of observed.statuses ?? []) {
      const status = JSON.parse(o.json) as Record<string, unknown>;
      const id = String(status['workload'] ?? '');
      byWorkload.set(id, [...(byWorkload.get(id) ?? []), status]);
    }
    return (specs.workloads ?? []).flatMap((w) => {
      const spec = { ...workloadSpec(w), id: w.id };
      const seen = byWorkload.get(w.id) ?? [];
      return seen.length ? seen.map((s) => observedRow(spec, s)) : [observedRow(spec, {})];
    });
  }

  /** `service`'s last lines, then (follow) new ones until `signal` aborts; each line cut at MAX_LOG_LINE_CHARS. */
  async *logs(service: string, follow: boolean, signal: AbortSignal): AsyncGenerator<LogLineJson> {
    const client = await this.init.stream();
    try {
      const req = { service, lines: LOG_BACKLOG_LINES, follow };
      for await (const l of serverStream(client, 'readLogs', req, { timeoutMs: follow ? 0 : DAEMON_CALL_TIMEOUT_MS, signal })) {
        const line = l.line.length > MAX_LOG_LINE_CHARS ? `${l.line.slice(0, MAX_LOG_LINE_CHARS)}… (cut)` : l.line;
        yield { at: fromTimestamp(l.at)?.toISOString() ?? null, line };
      }
    } catch (err) {
      throw this.init.down(err);
    }
  }

  close(): void {
    this.init.close();
    this.maintainer.close();
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function observedRow(spec: Record<string, unknown> & { id: string }, s: Record<string, unknown>): WorkloadJson {
  const exit = s['lastExit'] as { code?: unknown; signal?: unknown } | null | undefined;
  return {
    ...spec,
    node: str(s['node']),
    phase: str(s['phase']),
    pid: num(s['pid']),
    restarts: num(s['restarts']),
    since: str(s['since']),
    lastExit: exit && typeof exit === 'object' ? { code: num(exit.code), signal: str(exit.signal) } : null,
    reason: str(s['reason']),
  };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; down: DaemonDownError };

/** `read()`'s value, or the DaemonDownError it failed with (other errors propagate). */
export async function outcome<T>(read: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    if (err instanceof DaemonDownError) return { ok: false, down: err };
    throw err;
  }
}
