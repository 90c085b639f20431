// What the bench reads from watched nodes, loopback or mesh alike: waiting on their views, false alarms since a mark,
// and timed writes (PutWorkload on one node until every node's WatchWorkloads reported it).
import type { MaintainerV1 } from '@fortros/proto';
import { unary } from '@fortros/rpc';
import { POLL_MS } from './constants.js';
import type { NodeView } from './node-watch.js';
import { median, type Alarms, type Spread } from './report.js';

/** A node as the bench observes it. */
export interface Observed {
  readonly id: string;
  readonly name: string;
  readonly view: NodeView;
  api(): MaintainerV1.MaintainerClient;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Re-checks `pred` every POLL_MS until it holds (true) or timeoutMs pass (false). */
export async function until(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  const maxChecks = Math.ceil(timeoutMs / POLL_MS) + 1;
  for (let i = 0; i < maxChecks && performance.now() < deadline; i++) {
    if (pred()) return true;
    await sleep(POLL_MS);
  }
  return pred();
}

/** How many of `ids` the view shows alive. */
export function aliveOf(view: NodeView, ids: ReadonlySet<string>): number {
  let alive = 0;
  for (const [id, state] of view.members) if (ids.has(id) && state === 'MEMBER_STATE_ALIVE') alive++;
  return alive;
}

/** Every node's watch is synced and sees all of `nodes` alive. */
export function allConverged(nodes: readonly Observed[]): boolean {
  const ids = new Set(nodes.map((n) => n.id));
  return nodes.every((n) => n.view.synced && aliveOf(n.view, ids) === ids.size);
}

/** Each node's alarm count now, to count false alarms from. */
export const marks = (nodes: readonly Observed[]): Map<Observed, number> => new Map(nodes.map((n) => [n, n.view.alarms.length]));

/** Suspect / dead events about `nodes` (running all along), since the `from` marks, summed over `nodes` as observers. */
export function falseAlarms(nodes: readonly Observed[], from: Map<Observed, number>): Alarms {
  const liveIds = new Set(nodes.map((n) => n.id));
  let suspicions = 0;
  let deaths = 0;
  for (const n of nodes) {
    for (const a of n.view.alarms.slice(from.get(n) ?? 0)) {
      if (!liveIds.has(a.subject)) continue;
      if (a.type === 'suspect') suspicions++;
      else deaths++;
    }
  }
  return { suspicions, deaths };
}

/** PutWorkload of a /bin/true process workload `id` placed on the origin node (acknowledged once durable). */
export async function putWorkload(origin: Observed, id: string): Promise<void> {
  await unary(origin.api(), 'putWorkload', { specJson: JSON.stringify({ id, driver: 'process', command: '/bin/true', placement: { nodes: [origin.name] } }) });
}

/**
 * `count` writes, one at a time, write k on `nodes[k % N]` with id `${prefix}-${k}`: from the put until every node's
 * WatchWorkloads reported it. A write not everywhere within timeoutMs is a note, not a sample.
 */
export async function timeWrites(nodes: readonly Observed[], count: number, prefix: string, timeoutMs: number): Promise<{ spread?: Spread; notes: string[] }> {
  const everywhere: number[] = [];
  const notes: string[] = [];
  for (let k = 0; k < count; k++) {
    const id = `${prefix}-${k}`;
    const t0 = performance.now();
    await putWorkload(nodes[k % nodes.length]!, id);
    if (!(await until(() => nodes.every((n) => n.view.workloadsSeen.has(id)), timeoutMs))) {
      notes.push(`write ${id} not everywhere within ${timeoutMs} ms`);
      continue;
    }
    everywhere.push(Math.max(...nodes.map((n) => n.view.workloadsSeen.get(id)!)) - t0);
  }
  return { spread: everywhere.length ? { median: median(everywhere), max: Math.max(...everywhere), count: everywhere.length } : undefined, notes };
}

/** Per observer, ms from `t0` to its latest DEAD event about `victimId` (only events after t0); missing = not yet. */
export function deathTimes(observers: readonly Observed[], victimId: string, t0: number): number[] {
  return observers.filter((n) => (n.view.deadAt.get(victimId) ?? -1) >= t0).map((n) => n.view.deadAt.get(victimId)! - t0);
}
