// The mesh rows: N fortros-init trees (persist-mount, wireguard, maintainer) in network namespaces of a libs/netlab
// lab on real wireguard-go, joined one by one with tokens; then a quiet window (underlay bytes), timed writes, kill -9
// of a node, a lossy window (false deaths), and a half/half partition with writes on both sides and its heal.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_PATHS } from '@fortros/core';
import { Lab, LabCommandError } from '@fortros/netlab';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench drives the test harness's mesh cluster (real init trees on real WireGuard) rather than copy it
import { MeshCluster, meshClusterPrefix, type MeshClusterNode } from '../../test/harness/mesh-cluster.js';
import {
  MESH_HEAL_TIMEOUT_MS,
  MESH_JOIN_TIMEOUT_MS,
  MESH_LOSS_PER_MILLE,
  MESH_PARTITION_WRITE_ROUNDS,
  MESH_RECONVERGE_TIMEOUT_MS,
  MESH_SERVICES,
  DETECT_TIMEOUT_MS,
  WRITE_TIMEOUT_MS,
} from './constants.js';
import { NodeWatch } from './node-watch.js';
import { aliveOf, allConverged, deathTimes, falseAlarms, marks, putWorkload, sleep, timeWrites, until } from './observe.js';
import { median, type Alarms, type Spread } from './report.js';
import { portBytes, setBridgeLoss } from './underlay.js';

export interface MeshRunOptions {
  nodes: number;
  writes: number;
  quietWindowMs: number;
  lossWindowMs: number;
  partitionMs: number;
  log: (line: string) => void;
}

export interface MeshFigures {
  n: number;
  services: readonly string[];
  /** Per joining node, from its init's start to its own watch synced with every member so far alive. */
  join?: Spread;
  /** Per joining node, from its init's start to every member so far (and itself) seeing it alive. */
  joinEverywhere?: Spread;
  /** Per joining node, from its init's start to init reporting its maintainer ready. */
  joinReady?: Spread;
  /** Per joining node, from init reporting its maintainer ready to its own view converged (as `join`). */
  joinAfterReady?: Spread;
  write?: Spread;
  /** Bytes each node sent on the underlay per second in the quiet window: mean and max over the nodes. */
  bytes?: { meanBps: number; maxBps: number; receivedMeanBps: number; windowS: number };
  /** SUSPECT / DEAD events about running nodes in the quiet window, summed over observers. */
  quiet?: Alarms;
  /** The same in the lossy window. */
  loss?: Alarms;
  lossWindowS?: number;
  partition?: { sides: [number, number]; writes: number; seconds: number; crossed: number; healWritesMs?: number; healAliveMs?: number };
  detect?: Spread;
  /** The step that failed and why (the figures before it stand). */
  failed?: string;
  notes: string[];
}

/** The maintainer socket of a mesh node (under its init's root). */
const socketOf = (n: MeshClusterNode): string => join(n.init.root, NODE_PATHS.maintainerSocket);

const spreadOf = (xs: readonly number[]): Spread | undefined => (xs.length ? { median: median(xs), max: Math.max(...xs), count: xs.length } : undefined);

/**
 * `act` again once if an `ip`/`nft` command of the lab timed out (netlab bounds each at 10 s, which a 2-core machine
 * under a load average of 40 overruns); partition and heal replace whole nft tables, so a repeat is harmless.
 */
async function retryOnce(act: () => Promise<void>, what: string, log: (line: string) => void): Promise<void> {
  try {
    await act();
  } catch (err) {
    if (!(err instanceof LabCommandError)) throw err;
    log(`mesh ${what}: ${err.message.split('\n')[0]}; once more`);
    await act();
  }
}

class MeshBench {
  readonly watches = new Map<MeshClusterNode, NodeWatch>();
  readonly f: MeshFigures;

  constructor(
    readonly cluster: MeshCluster,
    readonly o: MeshRunOptions,
  ) {
    this.f = { n: o.nodes, services: MESH_SERVICES, notes: [] };
  }

  get live(): NodeWatch[] {
    return [...this.watches.values()];
  }

  private async watch(node: MeshClusterNode): Promise<NodeWatch> {
    const w = new NodeWatch(node.name);
    await w.open(socketOf(node));
    this.watches.set(node, w);
    return w;
  }

  /** The founder, then each other node alone: a token from the founder, then the node's boot timed until converged. */
  async boot(): Promise<void> {
    const founder = await this.cluster.addNode();
    await this.watch(founder);
    const selfMs: number[] = [];
    const everywhereMs: number[] = [];
    const readyMs: number[] = [];
    const afterReadyMs: number[] = [];
    for (let i = 1; i < this.o.nodes; i++) {
      const token = await this.cluster.token(founder);
      const lab = await this.cluster.lab.addNode();
      const t0 = performance.now();
      const node = await this.cluster.addNode({ token, lab, wait: false });
      await node.init.waitForState('maintainer', 'ready', { timeoutMs: MESH_JOIN_TIMEOUT_MS });
      readyMs.push(performance.now() - t0);
      const prior = this.live;
      const w = await this.watch(node);
      const ids = new Set([...prior.map((p) => p.id), w.id]);
      if (!(await until(() => w.view.synced && aliveOf(w.view, ids) === ids.size, MESH_JOIN_TIMEOUT_MS))) throw new Error(`${node.name} did not see all ${ids.size} members alive within ${MESH_JOIN_TIMEOUT_MS} ms`);
      selfMs.push(performance.now() - t0);
      afterReadyMs.push(selfMs.at(-1)! - readyMs.at(-1)!);
      if (!(await until(() => prior.every((p) => p.view.members.get(w.id) === 'MEMBER_STATE_ALIVE'), MESH_JOIN_TIMEOUT_MS))) throw new Error(`not every member saw ${node.name} alive within ${MESH_JOIN_TIMEOUT_MS} ms`);
      everywhereMs.push(performance.now() - t0);
      this.o.log(`mesh ${node.name} joined: ready ${Math.round(readyMs.at(-1)!)} ms, converged ${Math.round(selfMs.at(-1)!)} ms, seen by all ${Math.round(everywhereMs.at(-1)!)} ms after its init started`);
    }
    this.f.join = spreadOf(selfMs);
    this.f.joinEverywhere = spreadOf(everywhereMs);
    this.f.joinReady = spreadOf(readyMs);
    this.f.joinAfterReady = spreadOf(afterReadyMs);
  }

  /** Underlay bytes per node over a quiet window (nothing written, no loss), and any alarm in it. */
  async quiet(): Promise<void> {
    const labNodes = this.cluster.nodes.map((n) => n.lab);
    const from = marks(this.live);
    const before = await portBytes(this.cluster.lab, labNodes);
    const t0 = performance.now();
    await sleep(this.o.quietWindowMs);
    const after = await portBytes(this.cluster.lab, labNodes);
    const secs = (performance.now() - t0) / 1000;
    const sent = labNodes.map((n) => (after.get(n)!.sent - before.get(n)!.sent) / secs);
    const received = labNodes.map((n) => (after.get(n)!.received - before.get(n)!.received) / secs);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    this.f.bytes = { meanBps: mean(sent), maxBps: Math.max(...sent), receivedMeanBps: mean(received), windowS: secs };
    this.f.quiet = falseAlarms(this.live, from);
    this.o.log(`mesh quiet ${secs.toFixed(1)} s: ${(mean(sent) / 1000).toFixed(2)} KB/s sent per node (max ${(Math.max(...sent) / 1000).toFixed(2)}), alarms ${JSON.stringify(this.f.quiet)}`);
  }

  async writes(): Promise<void> {
    const w = await timeWrites(this.live, this.o.writes, 'mesh', WRITE_TIMEOUT_MS);
    this.f.notes.push(...w.notes);
    this.f.write = w.spread;
    this.o.log(`mesh writes: ${JSON.stringify(w.spread)}`);
  }

  /** MESH_LOSS_PER_MILLE of the frames on the bridge dropped for the lossy window; alarms about running nodes. */
  async loss(): Promise<void> {
    const from = marks(this.live);
    await setBridgeLoss(this.cluster.lab, MESH_LOSS_PER_MILLE);
    const t0 = performance.now();
    try {
      await sleep(this.o.lossWindowMs);
    } finally {
      await setBridgeLoss(this.cluster.lab, 0);
    }
    this.f.lossWindowS = (performance.now() - t0) / 1000;
    this.f.loss = falseAlarms(this.live, from);
    this.o.log(`mesh ${MESH_LOSS_PER_MILLE / 10}% loss for ${this.f.lossWindowS.toFixed(1)} s: ${JSON.stringify(this.f.loss)}`);
    if (!(await until(() => allConverged(this.live), MESH_RECONVERGE_TIMEOUT_MS))) this.f.notes.push(`not reconverged within ${MESH_RECONVERGE_TIMEOUT_MS} ms after the loss window`);
  }

  /** Half / half on the underlay with writes on both sides, then heal: until every write is everywhere, and all alive. */
  async partition(): Promise<void> {
    const nodes = this.cluster.nodes.filter((n) => this.watches.has(n));
    const a = nodes.slice(0, Math.floor(nodes.length / 2));
    const b = nodes.slice(a.length);
    const written: { id: string; side: MeshClusterNode[] }[] = [];
    await retryOnce(() => this.cluster.lab.partition([a.map((n) => n.lab), b.map((n) => n.lab)]), 'partition', this.o.log);
    const t0 = performance.now();
    let heal = t0;
    try {
      for (let r = 0; r < MESH_PARTITION_WRITE_ROUNDS; r++) {
        await sleep(Math.max(0, t0 + ((r + 1) * this.o.partitionMs) / (MESH_PARTITION_WRITE_ROUNDS + 1) - performance.now()));
        for (const [s, side] of [a, b].entries()) {
          const id = `partition-${r}-${s}`;
          await putWorkload(this.watches.get(side[r % side.length]!)!, id);
          written.push({ id, side });
        }
      }
      await sleep(Math.max(0, t0 + this.o.partitionMs - performance.now()));
    } finally {
      heal = performance.now();
      await retryOnce(() => this.cluster.lab.heal(), 'heal', this.o.log);
    }
    // a write seen across before the heal means the partition was not one
    const crossed = written.filter((w) => nodes.some((n) => !w.side.includes(n) && (this.watches.get(n)!.view.workloadsSeen.get(w.id) ?? Infinity) < heal)).length;
    const p: NonNullable<MeshFigures['partition']> = { sides: [a.length, b.length], writes: written.length, seconds: (heal - t0) / 1000, crossed };
    this.f.partition = p;
    const everywhere = (): boolean => written.every((w) => this.live.every((n) => n.view.workloadsSeen.has(w.id)));
    if (await until(everywhere, MESH_HEAL_TIMEOUT_MS)) p.healWritesMs = performance.now() - heal;
    else this.f.notes.push(`after healing, not every partition write everywhere within ${MESH_HEAL_TIMEOUT_MS} ms`);
    if (await until(() => allConverged(this.live), MESH_HEAL_TIMEOUT_MS)) p.healAliveMs = performance.now() - heal;
    else this.f.notes.push(`after healing, not every node alive everywhere within ${MESH_HEAL_TIMEOUT_MS} ms`);
    this.o.log(`mesh partition ${a.length}/${b.length} for ${p.seconds.toFixed(1)} s: ${JSON.stringify(p)}`);
  }

  /** kill -9 of every process of the last node: per other node, until its watch said DEAD. It stays dead. */
  async kill(): Promise<void> {
    const victim = this.cluster.nodes.at(-1)!;
    const vw = this.watches.get(victim)!;
    vw.close();
    this.watches.delete(victim);
    const others = this.live;
    const t0 = performance.now();
    await this.cluster.killNode(victim);
    const done = await until(() => deathTimes(others, vw.id, t0).length === others.length, DETECT_TIMEOUT_MS);
    const times = deathTimes(others, vw.id, t0);
    if (!done) this.f.notes.push(`${others.length - times.length} nodes did not declare the killed node dead within ${DETECT_TIMEOUT_MS} ms`);
    this.f.detect = spreadOf(times);
    this.o.log(`mesh kill -9 ${victim.name}: ${JSON.stringify(this.f.detect)}`);
  }

  close(): void {
    for (const w of this.watches.values()) w.close();
  }
}

/** One mesh run: boots the lab and its nodes, measures, and removes everything (also on failure). */
export async function meshRun(o: MeshRunOptions): Promise<MeshFigures> {
  const lab = await Lab.create({ prefix: meshClusterPrefix('mb') });
  const cluster = new MeshCluster(lab, {}, { services: MESH_SERVICES });
  const bench = new MeshBench(cluster, o);
  // on Ctrl-C or a crash the lab's registry kills the processes and removes the namespaces; the node roots go here
  const removeRoots = (): void => cluster.nodes.forEach((n) => rmSync(n.init.root, { recursive: true, force: true }));
  process.on('exit', removeRoots);
  try {
    o.log(`mesh: lab ${lab.netns}, booting ${o.nodes} nodes (${MESH_SERVICES.join(', ')}), one join at a time`);
    // kill -9 before loss and partition: their failed probes raise Lifeguard's local health multiplier, which slows
    // the probing (and so the detection) of a node killed right after them
    const steps = { boot: bench.boot, quiet: bench.quiet, writes: bench.writes, 'kill -9': bench.kill, loss: bench.loss, partition: bench.partition };
    for (const [step, run] of Object.entries(steps)) {
      try {
        await run.call(bench);
      } catch (err) {
        bench.f.failed = `${step}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
        o.log(`mesh ${step} failed: ${err instanceof Error ? err.stack : String(err)}`);
        break;
      }
    }
    return bench.f;
  } finally {
    bench.close();
    // a failed cleanup is said, never allowed to hide how the run itself ended
    await cluster.cleanup().catch((e: unknown) => o.log(`mesh cleanup: ${String(e)}`));
    await lab.destroy().catch((e: unknown) => o.log(`mesh lab cleanup: ${String(e)}`));
    process.removeListener('exit', removeRoots);
  }
}
