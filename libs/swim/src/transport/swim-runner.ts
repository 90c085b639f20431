// SwimRunner: the thin shell that drives a SwimNode with real timers and a Transport, and publishes typed events.
import { randomInt } from 'node:crypto';
import { LEAVE_TIMEOUT_MS } from '../constants.js';
import { seededRandom } from '../core/random.js';
import { SwimNode } from '../core/swim-node.js';
import type { SwimOptions } from '../options.js';
import type { Member, MemberEvent, MemberMeta, Random, SelfIncarnationEvent, SendAction, SwimInput, SwimLogger } from '../types.js';
import { IncarnationGuard, type IncarnationStore } from './incarnation-guard.js';
import type { Transport } from './transport.js';

export interface SwimRunnerEvents {
  'member:join': MemberEvent;
  'member:alive': MemberEvent;
  'member:suspect': MemberEvent;
  'member:dead': MemberEvent;
  'member:left': MemberEvent;
  'member:update': MemberEvent;
  'self:incarnation': SelfIncarnationEvent;
}
export type SwimRunnerEventName = keyof SwimRunnerEvents;

export interface SwimRunnerOptions {
  id: string;
  name?: string;
  transport: Transport;
  /** Address gossiped to peers (default: the transport's bound address). */
  advertise?: string;
  meta?: MemberMeta;
  /** Starting incarnation: the bound last saved in `incarnationStore` + 1 when restarting. */
  incarnation?: number;
  /**
   * Where the incarnation bound is persisted. When given, the runner saves a bound INCARNATION_RESERVE ahead before
   * joining and keeps it ahead, holding packets whenever the incarnation is above the durable bound; without it
   * nothing is persisted and a restart may reuse an incarnation.
   */
  incarnationStore?: IncarnationStore;
  seeds?: readonly string[];
  options?: SwimOptions;
  logger?: SwimLogger;
  random?: Random;
  /** Monotonic ms clock (default performance.timeOrigin + performance.now()). */
  clock?: () => number;
}

type Handler<K extends SwimRunnerEventName> = (event: SwimRunnerEvents[K]) => void;

export class SwimRunner {
  private node: SwimNode | undefined;
  private guard: IncarnationGuard | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private controller = new AbortController();
  private running: Promise<void> | undefined;
  private readonly handlers = new Map<SwimRunnerEventName, Set<(event: never) => void>>();
  private readonly clock: () => number;

  constructor(private readonly options: SwimRunnerOptions) {
    this.clock = options.clock ?? (() => performance.timeOrigin + performance.now());
  }

  /** Subscribes to a typed event; returns the unsubscribe function. */
  on<K extends SwimRunnerEventName>(event: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as (event: never) => void);
    return () => set.delete(handler as (event: never) => void);
  }

  /** The core (for members(), stats, localHealth); undefined before start(). */
  get swim(): SwimNode | undefined {
    return this.node;
  }

  members(): Member[] {
    return this.node?.members() ?? [];
  }

  /** Binds the transport, then joins through the seeds. Idempotent. */
  start(): Promise<void> {
    this.running ??= this.doStart();
    return this.running;
  }

  private async doStart(): Promise<void> {
    const o = this.options;
    this.controller = new AbortController();
    await o.transport.start();
    const random = o.random ?? seededRandom(randomInt(0, 2 ** 32));
    const node = new SwimNode({ id: o.id, name: o.name, address: o.advertise ?? o.transport.address, meta: o.meta, incarnation: o.incarnation, random, options: o.options }, this.clock());
    if (o.incarnationStore) {
      const guard = new IncarnationGuard({
        store: o.incarnationStore,
        incarnation: () => node.incarnation,
        send: (s) => o.transport.send(s.address, s.packet),
        clock: this.clock,
        ...(o.logger ? { logger: o.logger } : {}),
      });
      await guard.start(node.incarnation);
      this.guard = guard;
    }
    this.node = node;
    o.transport.onPacket((from, data) => this.step({ type: 'packet', from, data }));
    o.logger?.info('swim started', { id: o.id, address: this.node.member(o.id)?.address, seeds: o.seeds?.length ?? 0 });
    this.step({ type: 'join', seeds: o.seeds ?? [] });
  }

  /** Changes this node's meta (gossiped with a new incarnation). */
  setMeta(meta: MemberMeta): void {
    this.step({ type: 'meta', meta });
  }

  /** Announces a graceful leave and waits (bounded) until the update has been gossiped; then stop(). */
  async leave(timeoutMs = LEAVE_TIMEOUT_MS): Promise<void> {
    const node = this.node;
    if (!node || this.controller.signal.aborted) return;
    this.step({ type: 'leave' });
    const signal = this.controller.signal;
    const deadline = this.clock() + timeoutMs;
    while (!signal.aborted && node.pendingBroadcasts > 0 && this.clock() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, node.config.gossipIntervalMs);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
    await this.stop();
  }

  /** Stops timers and the transport. Idempotent. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    this.controller.abort();
    await running.catch(() => undefined);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.guard?.stop();
    this.options.transport.onPacket(() => {});
    await this.options.transport.stop();
    this.options.logger?.info('swim stopped', { id: this.options.id });
  }

  private step(input: SwimInput): void {
    const node = this.node;
    if (!node || this.controller.signal.aborted) return;
    const out = node.step(input, this.clock());
    this.send(out.sends);
    for (const ev of out.events) this.publish(ev);
    this.schedule(out.nextDeadline);
  }

  /** Through the incarnation guard when there is one (it also retries a failed save on each step). */
  private send(sends: readonly SendAction[]): void {
    if (this.guard) return this.guard.send(sends);
    for (const s of sends) this.options.transport.send(s.address, s.packet);
  }

  private publish(ev: MemberEvent | SelfIncarnationEvent): void {
    if (ev.type !== 'self:incarnation') this.options.logger?.debug(ev.type, { member: ev.member.id, incarnation: ev.member.incarnation });
    for (const h of this.handlers.get(ev.type) ?? []) {
      try {
        (h as (e: typeof ev) => void)(ev);
      } catch (err) {
        this.options.logger?.error('swim event handler failed', { event: ev.type, err });
      }
    }
  }

  private schedule(at: number): void {
    if (at >= this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.step({ type: 'tick' });
    }, Math.max(0, Math.ceil(at - this.clock())));
  }
}
