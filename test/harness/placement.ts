// Where a replicated /bin/sh workload runs on a mesh cluster, seen three ways that must agree: each node's own
// reconciler (`fortctl workloads --json`), every node's `fortctl workloads --all --json`, and the host's /proc.
import { strict as assert } from 'node:assert';
import type { MeshClusterNode } from './mesh-cluster.js';
import { isAlive } from './proc.js';
import { shProcesses, workloads } from './reconciler.js';
import { waitUntil } from './wait.js';

/** Placement polls get this long by default (ms; a node's death or a heal takes a while on 2 shared cores). */
const PLACED_WAIT_MS = 120_000;
const PLACED_POLL_MS = 500;

export interface Replicated {
  /** The workload id. */
  id: string;
  /** A string in its /bin/sh script, to find its processes on the host. */
  marker: string;
  replicas: number;
}

/** Node id → pid of the running workload, from each node's own reconciler (`fortctl workloads --json`). */
export async function localRunning(nodes: readonly MeshClusterNode[], ids: ReadonlyMap<MeshClusterNode, string>, id: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const n of nodes) {
    const w = (await workloads(n.init.root))?.find((x) => x.workload === id);
    if (w === undefined || w.phase !== 'running' || w.pid === null) continue;
    assert.equal(w.node, ids.get(n), `${n.name} reports its own id`);
    out.set(w.node, w.pid);
  }
  return out;
}

/** Each node's `workloads --all` view: the sorted ids of the `live` nodes it sees running workload `id`. */
export async function allViews(nodes: readonly MeshClusterNode[], live: ReadonlySet<string>, id: string): Promise<string[][]> {
  return Promise.all(
    nodes.map(async (n) =>
      ((await workloads(n.init.root, true)) ?? [])
        .filter((w) => w.workload === id && w.phase === 'running' && live.has(w.node))
        .map((w) => w.node)
        .sort(),
    ),
  );
}

/**
 * Until exactly `w.replicas` of `nodes` run the workload, their pids alive and the same as the host's processes with
 * the marker, and every node's `workloads --all` agrees; returns node id → pid.
 */
export async function waitPlaced(nodes: readonly MeshClusterNode[], ids: ReadonlyMap<MeshClusterNode, string>, w: Replicated, what: string, timeoutMs = PLACED_WAIT_MS): Promise<Map<string, number>> {
  const live = new Set(nodes.map((n) => ids.get(n)!));
  let last = '';
  return waitUntil(async () => {
    const running = await localRunning(nodes, ids, w.id);
    const pids = [...running.values()].sort();
    const host = shProcesses(w.marker).sort();
    const views = await allViews(nodes, live, w.id);
    last = JSON.stringify({ running: [...running], host, views });
    if (running.size !== w.replicas || !pids.every(isAlive) || JSON.stringify(host) !== JSON.stringify(pids)) return undefined;
    const expected = [...running.keys()].sort();
    return views.every((v) => JSON.stringify(v) === JSON.stringify(expected)) ? running : undefined;
  }, { timeoutMs, intervalMs: PLACED_POLL_MS, what }).catch((e: Error) => {
    throw new Error(`${e.message}; last seen: ${last}`);
  });
}
