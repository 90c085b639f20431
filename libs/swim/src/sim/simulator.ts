// The deterministic simulator: a virtual clock and event queue driving N real SwimNode cores over a SimNetwork.
import { seededRandom } from '../core/random.js';
import { SwimNode } from '../core/swim-node.js';
import type { SwimOptions } from '../options.js';
import type { MemberMeta, Random, SwimOutput } from '../types.js';
import { EventQueue } from './event-queue.js';
import { SimMetrics } from './metrics.js';
import { SimNetwork } from './network.js';
import type { NetworkOptions } from './network.js';

export interface SimulatorOptions extends NetworkOptions {
  seed: number;
  /** Number of node slots (started with start/startAll). */
  nodes: number;
  swim?: SwimOptions;
  /** Meta of each node (default: overlayIp, publicKey and labels of realistic size). */
  meta?: (index: number) => MemberMeta;
}

interface Slot {
  readonly index: number;
  readonly id: string;
  readonly address: string;
  node: SwimNode | undefined;
  gen: number;
  wakeAt: number;
  pausedUntil: number;
  /** Incarnation persisted across restarts (as the maintainer persists it on disk). */
  incarnation: number;
  restarts: number;
  bytesSent: number;
  packetsSent: number;
}

type SimEvent =
  | { at: number; seq?: number; kind: 'deliver'; to: number; from: string; data: Uint8Array }
  | { at: number; seq?: number; kind: 'wake'; to: number; gen: number }
  | { at: number; seq?: number; kind: 'call'; fn: () => void };

const defaultMeta = (i: number): MemberMeta => ({
  overlayIp: `10.42.${i >> 8}.${i & 255}`,
  publicKey: `${'k'.repeat(40)}${String(i).padStart(3, '0')}=`,
  labels: 'zone=a,role=worker',
});

export class Simulator {
  now = 0;
  readonly network: SimNetwork;
  readonly metrics: SimMetrics;
  private readonly slots: Slot[] = [];
  private readonly byAddress = new Map<string, number>();
  private readonly queue = new EventQueue<SimEvent>();
  private readonly random: Random;
  private trafficSince = 0;
  /** Starts scheduled by startAll that have not happened yet. */
  private pendingStarts = 0;
  /** Events processed so far (a cost figure for benchmarks). */
  steps = 0;

  constructor(private readonly options: SimulatorOptions) {
    if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new RangeError(`nodes: expected a positive integer, got ${options.nodes}`);
    this.random = seededRandom(options.seed);
    this.network = new SimNetwork(seededRandom(options.seed ^ 0x5eed), options.seed, options);
    this.metrics = new SimMetrics(options.nodes);
    for (let i = 0; i < options.nodes; i++) {
      const slot: Slot = { index: i, id: `node-${i}`, address: `10.1.${i >> 8}.${i & 255}:7946`, node: undefined, gen: 0, wakeAt: Infinity, pausedUntil: 0, incarnation: 0, restarts: 0, bytesSent: 0, packetsSent: 0 };
      this.slots.push(slot);
      this.byAddress.set(slot.address, i);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  id(i: number): string {
    return this.slots[i]!.id;
  }

  node(i: number): SwimNode | undefined {
    return this.slots[i]!.node;
  }

  running(i: number): boolean {
    return this.slots[i]!.node !== undefined;
  }

  paused(i: number): boolean {
    return this.slots[i]!.pausedUntil > this.now;
  }

  /** Starts node i and joins it through the given seed nodes (none: it is the first node). */
  start(i: number, seeds: readonly number[] = []): void {
    const slot = this.slots[i]!;
    if (slot.node) throw new Error(`node ${i} already runs`);
    slot.gen++;
    slot.wakeAt = Infinity;
    slot.pausedUntil = 0;
    const random = seededRandom((this.options.seed * 7919 + i * 104729 + slot.restarts * 15485863) >>> 0);
    slot.node = new SwimNode({ id: slot.id, address: slot.address, incarnation: slot.incarnation, random, meta: (this.options.meta ?? defaultMeta)(i), options: this.options.swim }, this.now);
    this.metrics.nodeStarted(i);
    this.apply(slot, slot.node.step({ type: 'join', seeds: seeds.map((s) => this.slots[s]!.address) }, this.now));
  }

  /** Starts node `seed` now and every other node at a random time within spreadMs, each joining through `seed`. */
  startAll(seed = 0, spreadMs = 0): void {
    this.start(seed);
    for (let i = 0; i < this.size; i++) {
      if (i === seed) continue;
      this.pendingStarts++;
      this.at(this.now + this.random.next() * spreadMs, () => {
        this.pendingStarts--;
        this.start(i, [seed]);
      });
    }
  }

  /** Stops node i abruptly; it sends and receives nothing until restart. */
  crash(i: number): void {
    const slot = this.slots[i]!;
    if (!slot.node) return;
    slot.incarnation = slot.node.incarnation;
    slot.node = undefined;
    slot.gen++;
    this.metrics.nodeCrashed(i, this.now);
  }

  /** Restarts node i with the same id and an incarnation above any it used, joining through seeds. */
  restart(i: number, seeds: readonly number[]): void {
    const slot = this.slots[i]!;
    if (slot.node) this.crash(i);
    slot.incarnation++;
    slot.restarts++;
    this.start(i, seeds);
  }

  /** A GC-like pause: node i neither receives nor sends for ms, then resumes with its timers overdue. */
  pause(i: number, ms: number): void {
    const slot = this.slots[i]!;
    slot.pausedUntil = this.now + ms;
    const gen = slot.gen;
    this.at(slot.pausedUntil, () => {
      if (slot.gen === gen && slot.node) this.apply(slot, slot.node.step({ type: 'tick' }, this.now));
    });
  }

  partition(groups: readonly (readonly number[])[]): void {
    this.network.partition(groups);
  }

  heal(): void {
    this.network.heal();
  }

  setLoss(p: number): void {
    if (!(p >= 0 && p < 1)) throw new RangeError(`loss: expected a probability in [0, 1), got ${p}`);
    this.network.loss = p;
  }

  /**
   * Delivers `data` to node `to` now, as if node `from` had sent it (a member's bad packet: the network authenticates
   * the source address, not the content).
   */
  forge(from: number, to: number, data: Uint8Array): void {
    this.queue.push({ at: this.now, kind: 'deliver', to, from: this.slots[from]!.address, data });
  }

  /** Runs fn at virtual time t. */
  at(t: number, fn: () => void): void {
    this.queue.push({ at: Math.max(t, this.now), kind: 'call', fn });
  }

  runFor(ms: number): void {
    this.runUntil(() => false, ms);
  }

  /** Runs until pred() holds (checked after every event) or ms pass; returns whether pred held. */
  runUntil(pred: () => boolean, ms: number): boolean {
    const end = this.now + ms;
    if (pred()) return true;
    for (;;) {
      const ev = this.queue.peek();
      if (!ev || ev.at > end) {
        this.now = end;
        return pred();
      }
      this.queue.pop();
      this.now = ev.at;
      this.handle(ev);
      if (pred()) return true;
    }
  }

  /** Runs until every running node sees exactly the running nodes alive; returns the virtual ms it took, or undefined. */
  runUntilConverged(limitMs: number): number | undefined {
    const t0 = this.now;
    return this.runUntil(() => this.pendingStarts === 0 && this.metrics.converged, limitMs) ? this.now - t0 : undefined;
  }

  /** Starts a new traffic measurement window. */
  resetTraffic(): void {
    for (const s of this.slots) {
      s.bytesSent = 0;
      s.packetsSent = 0;
    }
    this.trafficSince = this.now;
  }

  /** Mean bytes sent per running node per second since resetTraffic(). */
  bytesPerNodePerSecond(): number {
    return this.perNodePerSecond((s) => s.bytesSent);
  }

  /** Mean packets (messages) sent per running node per second since resetTraffic(). */
  packetsPerNodePerSecond(): number {
    return this.perNodePerSecond((s) => s.packetsSent);
  }

  private perNodePerSecond(count: (s: Slot) => number): number {
    const secs = (this.now - this.trafficSince) / 1000;
    let total = 0;
    let nodes = 0;
    for (const s of this.slots) {
      total += count(s);
      if (s.node) nodes++;
    }
    return secs > 0 && nodes > 0 ? total / nodes / secs : 0;
  }

  private handle(ev: SimEvent): void {
    this.steps++;
    if (ev.kind === 'call') return ev.fn();
    const slot = this.slots[ev.to]!;
    if (!slot.node) return;
    if (ev.kind === 'wake') {
      if (ev.gen !== slot.gen || ev.at !== slot.wakeAt) return;
      slot.wakeAt = Infinity;
      if (this.paused(slot.index)) return;
      this.apply(slot, slot.node.step({ type: 'tick' }, this.now));
      return;
    }
    if (this.paused(slot.index)) return;
    this.apply(slot, slot.node.step({ type: 'packet', from: ev.from, data: ev.data }, this.now));
  }

  /** Delivers a step's sends through the network, records its events, schedules the next wake. */
  private apply(slot: Slot, out: SwimOutput): void {
    for (const send of out.sends) {
      slot.bytesSent += send.packet.length;
      slot.packetsSent++;
      const to = this.byAddress.get(send.address);
      if (to === undefined) continue;
      const delay = this.network.deliveryDelay(slot.index, to);
      if (delay === undefined) continue;
      this.queue.push({ at: this.now + delay, kind: 'deliver', to, from: slot.address, data: send.packet });
    }
    for (const ev of out.events) {
      if (ev.type === 'self:incarnation') {
        slot.incarnation = ev.incarnation;
        continue;
      }
      const subject = this.byAddress.get(ev.member.address);
      if (subject === undefined) continue;
      const healthy = this.running(subject) && !this.paused(subject) && this.network.reachable(slot.index, subject);
      this.metrics.onEvent(slot.index, subject, ev.type, this.now, healthy);
    }
    const next = out.nextDeadline;
    if (next < slot.wakeAt || slot.wakeAt <= this.now) {
      slot.wakeAt = next;
      this.queue.push({ at: next, kind: 'wake', to: slot.index, gen: slot.gen });
    }
  }
}
