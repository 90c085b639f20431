// The reconciler benchmark's measurements on a running mesh cluster, and the planner's movement when a member leaves.
// eslint-disable-next-line @nx/enforce-module-boundaries -- placement movement is measured on the reconciler's own pure planner
import { place, type PlacementMember } from '@fortros/reconciler';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench drives the test harness's mesh cluster (real init trees on real WireGuard) rather than copy it
import type { MeshCluster, MeshClusterNode } from '../../test/harness/mesh-cluster.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench drives the test harness's mesh cluster (real init trees on real WireGuard) rather than copy it
import { putWorkload, workloads, type WorkloadJson } from '../../test/harness/reconciler.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench drives the test harness's mesh cluster (real init trees on real WireGuard) rather than copy it
import { waitUntil } from '../../test/harness/wait.js';
import { PLAN_MEMBERS, PLAN_REPLICAS, PLAN_WORKLOADS, POLL_MS, STEP_TIMEOUT_MS } from './constants.js';
import { median, startedMs, uptimeMs } from './proc-clock.js';

/** The longrun every node's init runs beside the reconciler, to restart next to a crashed workload. */
export const SLEEPER = 'bench-sleeper';

const sh = (id: string, script: string, placement: Record<string, unknown>): Record<string, unknown> => ({ id, driver: 'process', command: '/bin/sh', args: ['-c', script], restart: 'always', placement });

/** The workload on `node` if its reconciler reports it running; a fortctl that failed (a timeout under load) is "not yet". */
async function running(node: MeshClusterNode, id: string): Promise<WorkloadJson | undefined> {
  const w = (await workloads(node.init.root).catch(() => undefined))?.find((x) => x.workload === id);
  return w?.phase === 'running' && w.pid !== null ? w : undefined;
}

export interface DeployFigures {
  nodes: number;
  /** From `workload put` to the workload's process started, per node (kernel start time). */
  startedMedianMs: number;
  startedMaxMs: number;
  /** From `workload put` to every node's reconciler reporting it running (polled through fortctl). */
  reportedAllMs: number;
  /** How long `fortctl workload put` itself took: a Node.js process from its spawn to its exit, after the maintainer's ack. */
  putMs: number;
}

/** Put one workload for every node (selector {} and replicas N) on node 0; time to its start everywhere. */
export async function deploy(cluster: MeshCluster): Promise<DeployFigures> {
  const nodes = cluster.nodes;
  const t0 = uptimeMs();
  await putWorkload(nodes[0]!.init.root, sh('bench-all', 'exec sleep 100000', { selector: {}, replicas: nodes.length }));
  const putMs = uptimeMs() - t0;
  const seen = await waitUntil(async () => {
    const ws = await Promise.all(nodes.map((n) => running(n, 'bench-all')));
    return ws.every((w) => w !== undefined) ? (ws as WorkloadJson[]) : undefined;
  }, { what: 'bench-all running on every node', timeoutMs: STEP_TIMEOUT_MS, intervalMs: POLL_MS });
  const reportedAllMs = uptimeMs() - t0;
  const started = seen.map((w) => (startedMs(w.pid!) ?? NaN) - t0);
  return { nodes: nodes.length, startedMedianMs: median(started), startedMaxMs: Math.max(...started), reportedAllMs, putMs };
}

export interface RestartFigures {
  workloadMs: number;
  initServiceMs: number;
}

/** kill -9 of node 0's bench-all process and of its init's sleeper at once: until each one's new process started. */
export async function firstRestart(cluster: MeshCluster): Promise<RestartFigures> {
  const node = cluster.nodes[0]!;
  const w = await running(node, 'bench-all');
  const sleeper = node.init.lastPid(SLEEPER, 'ready');
  if (w === undefined || sleeper <= 0) throw new Error(`nothing to kill on ${node.name}: workload ${JSON.stringify(w)}, ${SLEEPER} pid ${sleeper}`);
  const t0 = uptimeMs();
  process.kill(w.pid!, 'SIGKILL');
  process.kill(sleeper, 'SIGKILL');
  const next = await waitUntil(async () => {
    const n = await running(node, 'bench-all');
    return n !== undefined && n.pid !== w.pid ? n : undefined;
  }, { what: 'bench-all restarted', timeoutMs: STEP_TIMEOUT_MS, intervalMs: POLL_MS });
  const nextSleeper = await waitUntil(() => {
    const pid = node.init.lastPid(SLEEPER, 'ready');
    return pid > 0 && pid !== sleeper ? pid : undefined;
  }, { what: `${SLEEPER} restarted`, timeoutMs: STEP_TIMEOUT_MS });
  return { workloadMs: (startedMs(next.pid!) ?? NaN) - t0, initServiceMs: (startedMs(nextSleeper) ?? NaN) - t0 };
}

export interface AdoptFigures {
  workloads: number;
  /** From kill -9 of the reconciler to init seeing the new one ready (it re-adopted every anchor first). */
  readyMs: number;
  /** From kill -9 to the new reconciler listing every workload running with its old pid. */
  listedMs: number;
  restartedOrLost: number;
}

/** `count` workloads on node 0; kill -9 its reconciler; time until the new one has adopted them, pids unchanged. */
export async function readopt(cluster: MeshCluster, count: number): Promise<AdoptFigures> {
  const node = cluster.nodes[0]!;
  const ids = Array.from({ length: count }, (_, i) => `adopt-${i}`);
  for (const id of ids) await cluster.putWorkload(node, id, sh(id, 'exec sleep 100000', { nodes: [node.name] }));
  const pidsOf = async (): Promise<Map<string, number> | undefined> => {
    const ws = await workloads(node.init.root);
    if (ws === undefined) return undefined;
    return new Map(ws.filter((w) => w.workload.startsWith('adopt-') && w.phase === 'running' && w.pid !== null).map((w) => [w.workload, w.pid!]));
  };
  const before = await waitUntil(async () => {
    const m = await pidsOf();
    return m !== undefined && m.size === count ? m : undefined;
  }, { what: `${count} workloads running on ${node.name}`, timeoutMs: STEP_TIMEOUT_MS, intervalMs: 500 });
  const reconciler = node.init.lastPid('reconciler', 'ready');
  const from = node.init.records.length;
  const t0 = Date.now();
  process.kill(reconciler, 'SIGKILL');
  await node.init.waitForState('reconciler', 'ready', { afterIndex: from, timeoutMs: STEP_TIMEOUT_MS });
  const readyMs = Date.now() - t0;
  const after = await waitUntil(async () => {
    const m = await pidsOf();
    return m !== undefined && m.size === count ? m : undefined;
  }, { what: `${count} workloads listed again`, timeoutMs: STEP_TIMEOUT_MS, intervalMs: POLL_MS });
  const listedMs = Date.now() - t0;
  return { workloads: count, readyMs, listedMs, restartedOrLost: ids.filter((id) => after.get(id) !== before.get(id)).length };
}

export interface MovementFigures {
  members: number;
  workloads: number;
  replicas: number;
  heldByLeaver: number;
  moved: number;
}

/** The pure planner: PLAN_WORKLOADS workloads of PLAN_REPLICAS replicas over PLAN_MEMBERS members, one member leaves. */
export function movement(): MovementFigures {
  const members: PlacementMember[] = Array.from({ length: PLAN_MEMBERS }, (_, i) => ({ id: `m${i.toString().padStart(2, '0')}`, name: `node${i}`, state: 'alive', labels: {} }));
  const leaver = members[PLAN_MEMBERS >> 1]!;
  const after = members.map((m) => (m === leaver ? { ...m, state: 'left' as const } : m));
  let heldByLeaver = 0;
  let moved = 0;
  for (let i = 0; i < PLAN_WORKLOADS; i++) {
    const placement = { selector: {}, replicas: PLAN_REPLICAS };
    const a = place(`w${i}`, placement, members).nodes;
    const b = new Set(place(`w${i}`, placement, after).nodes);
    if (a.includes(leaver.id)) heldByLeaver++;
    moved += [...b].filter((id) => !a.includes(id)).length;
  }
  return { members: PLAN_MEMBERS, workloads: PLAN_WORKLOADS, replicas: PLAN_REPLICAS, heldByLeaver, moved };
}
