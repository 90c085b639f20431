// Routes a process's OS signals from the first line of main on: recorded until a handler is attached, then delivered,
// so a signal that arrives while a daemon loads is acted on instead of taking its default action (killing it).
import { MAX_EARLY_SIGNALS } from './constants.js';

/** The part of `process` the router needs. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
}

export class SignalRouter {
  private readonly listeners = new Map<NodeJS.Signals, () => void>();
  private readonly handlers = new Map<NodeJS.Signals, () => void>();
  private readonly pending = new Map<NodeJS.Signals, number>();

  constructor(
    private readonly source: SignalSource,
    readonly signals: readonly NodeJS.Signals[],
    private readonly maxEarly = MAX_EARLY_SIGNALS,
  ) {}

  /** Starts listening: from now on no signal in `signals` takes its default action. Idempotent. */
  install(): void {
    for (const signal of this.signals) {
      if (this.listeners.has(signal)) continue;
      const listener = (): void => this.deliver(signal);
      this.listeners.set(signal, listener);
      this.source.on(signal, listener);
    }
  }

  /** Routes `signal` to `handler`; signals recorded before are delivered once the caller's synchronous code ends. */
  attach(signal: NodeJS.Signals, handler: () => void): void {
    if (!this.signals.includes(signal)) throw new TypeError(`signal ${signal} is not routed (expected one of ${this.signals.join(', ')})`);
    this.handlers.set(signal, handler);
    const early = this.pending.get(signal) ?? 0;
    this.pending.delete(signal);
    for (let i = 0; i < early; i++) queueMicrotask(() => this.handlers.get(signal)?.());
  }

  /** Stops listening and forgets handlers and recorded signals (default actions apply again). Idempotent. */
  uninstall(): void {
    for (const [signal, listener] of this.listeners) this.source.removeListener(signal, listener);
    this.listeners.clear();
    this.handlers.clear();
    this.pending.clear();
  }

  /** Signals recorded and not yet delivered, by kind. */
  recorded(): ReadonlyMap<NodeJS.Signals, number> {
    return this.pending;
  }

  private deliver(signal: NodeJS.Signals): void {
    const handler = this.handlers.get(signal);
    if (handler) handler();
    else this.pending.set(signal, Math.min(this.maxEarly, (this.pending.get(signal) ?? 0) + 1));
  }
}
