// What the simulator measures: every node's view of every other, convergence, crash detection, false suspicions and deaths.
import type { MemberEventType } from '../types.js';

const VIEW: Readonly<Record<MemberEventType, number>> = {
  'member:join': 1,
  'member:alive': 1,
  'member:update': 1,
  'member:suspect': 2,
  'member:dead': 3,
  'member:left': 4,
};

export interface FalseReport {
  readonly at: number;
  readonly observer: number;
  readonly subject: number;
}

/** Keeps an N×N matrix of views (0 unknown, 1 alive, 2 suspect, 3 dead, 4 left) and the count of pairs that match the truth. */
export class SimMetrics {
  private readonly view: Uint8Array;
  /** Truth per node: true when it runs (should be seen alive by everyone running). */
  private readonly live: Uint8Array;
  private readonly started: Uint8Array;
  private good = 0;
  private total = 0;
  private readonly crashAt = new Map<number, number>();
  private readonly detections = new Map<number, Map<number, number>>();
  falseSuspicions: FalseReport[] = [];
  falseDeaths: FalseReport[] = [];

  constructor(private readonly n: number) {
    this.view = new Uint8Array(n * n);
    this.live = new Uint8Array(n);
    this.started = new Uint8Array(n);
  }

  private ok(i: number, j: number): boolean {
    const v = this.view[i * this.n + j]!;
    return this.live[j] ? v === 1 : v !== 1 && v !== 2;
  }

  /** Recounts matching pairs after the truth changed (start, crash, restart). */
  private recount(): void {
    let good = 0;
    let total = 0;
    for (let i = 0; i < this.n; i++) {
      if (!this.live[i]) continue;
      for (let j = 0; j < this.n; j++) {
        if (j === i || !this.started[j]) continue;
        total++;
        if (this.ok(i, j)) good++;
      }
    }
    this.good = good;
    this.total = total;
  }

  /** Every running node sees every running node alive and no crashed node alive or suspect. */
  get converged(): boolean {
    return this.good === this.total;
  }

  nodeStarted(i: number): void {
    this.started[i] = 1;
    this.live[i] = 1;
    this.view.fill(0, i * this.n, (i + 1) * this.n);
    this.crashAt.delete(i);
    this.recount();
  }

  nodeCrashed(i: number, at: number): void {
    this.live[i] = 0;
    this.crashAt.set(i, at);
    this.detections.set(i, new Map());
    this.recount();
  }

  onEvent(observer: number, subject: number, type: MemberEventType, at: number, healthy: boolean): void {
    const idx = observer * this.n + subject;
    const was = this.live[observer] && this.started[subject] ? this.ok(observer, subject) : undefined;
    this.view[idx] = VIEW[type];
    if (was !== undefined) this.good += Number(this.ok(observer, subject)) - Number(was);
    if (type === 'member:suspect' && healthy) this.falseSuspicions.push({ at, observer, subject });
    if (type === 'member:dead' && healthy) this.falseDeaths.push({ at, observer, subject });
    const crashed = this.crashAt.get(subject);
    if (crashed !== undefined && (type === 'member:dead' || type === 'member:left')) {
      const d = this.detections.get(subject)!;
      if (!d.has(observer)) d.set(observer, at - crashed);
    }
  }

  /** Per observer, ms from the crash of `subject` until it declared it dead. */
  detectionTimes(subject: number): Map<number, number> {
    return this.detections.get(subject) ?? new Map();
  }

  /** How `observer` sees `subject`: 'unknown', 'alive', 'suspect', 'dead' or 'left'. */
  viewOf(observer: number, subject: number): string {
    return ['unknown', 'alive', 'suspect', 'dead', 'left'][this.view[observer * this.n + subject]!]!;
  }
}
