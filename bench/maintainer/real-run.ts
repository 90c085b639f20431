// One real-process row: N maintainers join through one seed, then idle and lossy windows, timed writes, and a kill -9.
import { CONVERGE_TIMEOUT_MS, DETECT_TIMEOUT_MS, LOSS_LEVELS, WRITE_TIMEOUT_MS } from './constants.js';
import type { NetNamespace } from './netns.js';
import { allConverged, deathTimes, falseAlarms, marks, sleep, timeWrites, until } from './observe.js';
import { RealCluster } from './real-cluster.js';
import { median, type Row } from './report.js';

export interface RealRunOptions {
  size: number;
  writes: number;
  lossWindowMs: number;
  /** The bench's namespace (loss and byte counters); undefined = host namespace, no loss rows, no byte counts. */
  netns: NetNamespace | undefined;
  hostPrefix: string;
  port: number;
  log: (line: string) => void;
}

export async function realRun(o: RealRunOptions): Promise<Row> {
  const prefix = o.netns ? o.netns.execPrefix : [];
  const c = await RealCluster.create(o.size, o.hostPrefix, o.port, prefix);
  const row: Row = { n: o.size, kind: 'real', notes: [] };
  try {
    // 1. join: the seed first, then every other node at once
    await c.nodes[0]!.start();
    const spawnAt = performance.now();
    await Promise.all(c.nodes.slice(1).map((n) => n.start()));
    const lastReady = Math.max(...c.nodes.map((n) => n.readyAt));
    if (!(await until(() => allConverged(c.running), CONVERGE_TIMEOUT_MS))) throw new Error(`N=${o.size}: no convergence within ${CONVERGE_TIMEOUT_MS} ms`);
    const convergedAt = performance.now();
    row.joinSpawnMs = convergedAt - spawnAt;
    row.joinReadyMs = Math.max(0, convergedAt - lastReady);
    o.log(`N=${o.size}: converged ${(row.joinSpawnMs / 1000).toFixed(1)} s after spawning, ${Math.round(row.joinReadyMs)} ms after the last ready`);

    // 2. failure detection: kill -9 the last node, until every other node's watch said DEAD; then restart it
    const victim = c.nodes[c.nodes.length - 1]!;
    const others = c.nodes.filter((n) => n !== victim);
    const t0 = performance.now();
    await victim.kill9();
    const detected = await until(() => others.every((n) => n.view.deadAt.has(victim.id) && n.view.deadAt.get(victim.id)! >= t0), DETECT_TIMEOUT_MS);
    const times = deathTimes(others, victim.id, t0);
    if (!detected) row.notes.push(`${others.length - times.length} nodes did not declare the killed node dead within ${DETECT_TIMEOUT_MS} ms`);
    if (times.length) row.detect = { median: median(times), max: Math.max(...times), count: times.length };
    await victim.start();
    if (!(await until(() => allConverged(c.running), CONVERGE_TIMEOUT_MS))) throw new Error(`N=${o.size}: no convergence after restarting ${victim.name}`);

    // 3. loss windows (0% first: it is also the idle window the bytes are measured over)
    row.loss = [];
    for (const p of LOSS_LEVELS) {
      if (p > 0 && !o.netns) {
        row.loss.push(undefined);
        continue;
      }
      await o.netns?.setLoss(p);
      const from = marks(c.nodes);
      const before = await o.netns?.counters();
      const t0 = performance.now();
      await sleep(o.lossWindowMs);
      const secs = (performance.now() - t0) / 1000;
      const after = await o.netns?.counters();
      if (p === 0 && before && after) {
        row.gossipBps = (after.gossip - before.gossip) / o.size / secs;
        row.syncBps = (after.sync - before.sync) / o.size / secs;
      }
      row.loss.push(falseAlarms(c.nodes, from));
      await o.netns?.setLoss(0);
      if (!(await until(() => allConverged(c.running), CONVERGE_TIMEOUT_MS))) row.notes.push(`not reconverged after ${p * 100}% loss`);
      o.log(`N=${o.size}: ${p * 100}% loss for ${secs.toFixed(1)} s: ${JSON.stringify(row.loss.at(-1))}`);
    }

    // 4. writes: PutWorkload on node k % N, then until every node's WatchWorkloads reported it
    const w = await timeWrites(c.nodes, o.writes, 'bench', WRITE_TIMEOUT_MS);
    row.notes.push(...w.notes);
    row.write = w.spread;

    return row;
  } finally {
    await c.destroy();
  }
}
