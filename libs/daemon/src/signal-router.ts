// Routes a process's OS signals from the first line of main on: recorded until a handler is attached, then delivered,
// so a signal that arrives while a daemon loads is acted on instead of taking its default action (killing it).
// A caller may also name signals to catch and only report (init: every one it does not use, so none kills it).
import { constants } from 'node:os';
import { MAX_EARLY_SIGNALS } from './constants.js';

/**
 * Left to their default action: SIGKILL and SIGSTOP cannot be caught; SIGSEGV, SIGBUS, SIGFPE, SIGILL and
 * SIGSYS mean a fault in init itself, which no JavaScript handler can survive; SIGCHLD, SIGCONT, SIGURG and
 * SIGWINCH do no harm by default.
 */
const NOT_CAUGHT = new Set<string>(['SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGSYS', 'SIGCHLD', 'SIGCONT', 'SIGURG', 'SIGWINCH']);

/**
 * Every signal of `table` whose default action would terminate, dump core or stop init, minus `used` (one name
 * per number: SIGIOT is SIGABRT, SIGPOLL is SIGIO). Real-time signals are not in Node's table, so not caught.
 */
export function unusedSignals(used: readonly NodeJS.Signals[], table: Record<string, number> = constants.signals): NodeJS.Signals[] {
  const taken = new Set(used.map((s) => table[s]));
  const out: NodeJS.Signals[] = [];
  for (const [name, num] of Object.entries(table)) {
    if (NOT_CAUGHT.has(name) || taken.has(num)) continue;
    taken.add(num);
    out.push(name as NodeJS.Signals);
  }
  return out;
}

/** The part of `process` the router needs. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
}

export class SignalRouter {
  private readonly listeners = new Map<NodeJS.Signals, () => void>();
  private readonly handlers = new Map<NodeJS.Signals, () => void>();
  private readonly pending = new Map<NodeJS.Signals, number>();
  private unusedHandler: ((signal: NodeJS.Signals) => void) | undefined;

  constructor(
    private readonly source: SignalSource,
    readonly signals: readonly NodeJS.Signals[],
    private readonly maxEarly = MAX_EARLY_SIGNALS,
    /** Caught and only reported (see `onUnused`); init passes `unusedSignals(signals)`, daemons keep defaults. */
    readonly unused: readonly NodeJS.Signals[] = [],
  ) {}

  /** Starts listening: from now on no signal in `signals` or `unused` takes its default action. Idempotent. */
  install(): void {
    for (const signal of [...this.signals, ...this.unused]) {
      if (this.listeners.has(signal)) continue;
      const listener = (): void => (this.signals.includes(signal) ? this.deliver(signal) : this.unusedHandler?.(signal));
      this.listeners.set(signal, listener);
      this.source.on(signal, listener);
    }
  }

  /** Report each unused signal to `handler` (before this, they are dropped without a word). */
  onUnused(handler: (signal: NodeJS.Signals) => void): void {
    this.unusedHandler = handler;
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
    this.unusedHandler = undefined;
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
