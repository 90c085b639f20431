// Startable components and the stack that starts them in order and stops them in reverse.
import type { Logger } from '@fortros/log';
import { COMPONENT_STOP_TIMEOUT_MS } from './constants.js';
import { StopTimeoutError } from './errors.js';

/**
 * A long-lived part of a daemon. start() and stop() are idempotent; stop() may come while start() is still running
 * (a stop signal during a long start) and must make it return soon, typically by aborting an AbortController.
 */
export interface Startable {
  /** Names the component in logs (`maintainer:gossip`). */
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once the component is ready to serve; absent: ready when start() returned. */
  readonly ready?: Promise<void>;
  /** Resolves (never rejects) with the reason if the component fails for good after start: the daemon stops, exit 1. */
  readonly failed?: Promise<Error>;
}

/** A Startable from two functions, each run at most once (a second call gets the first call's promise). */
export function startable(name: string, start: () => Promise<void>, stop: () => Promise<void>): Startable {
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  return { name, start: () => (starting ??= start()), stop: () => (stopping ??= stop()) };
}

/** Starts components in the given order and stops the started ones (and the one starting) in reverse. */
export class ComponentStack {
  private started = 0;
  private startedAll = false;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly components: readonly Startable[],
    private readonly log: Logger,
    private readonly stopTimeoutMs = COMPONENT_STOP_TIMEOUT_MS,
  ) {}

  /** Start each component in order; throws the first failure (the caller then calls stop()). Idempotent. */
  async start(): Promise<void> {
    if (this.startedAll) return;
    while (this.started < this.components.length && !this.stopping) {
      const c = this.components[this.started]!;
      this.started++; // counted before start() ends, so a stop meanwhile stops it too
      this.log.debug('starting', { part: c.name });
      await c.start();
    }
    this.startedAll = !this.stopping;
  }

  /** Resolves once every component is ready (after start()). */
  ready(): Promise<void> {
    return Promise.all(this.components.map((c) => c.ready)).then(() => undefined);
  }

  /** Resolves with the first component failure after start (see Startable.failed); never, when none can fail. */
  failed(): Promise<{ component: string; err: Error }> {
    return Promise.race(this.components.flatMap((c) => (c.failed ? [c.failed.then((err) => ({ component: c.name, err }))] : [])).concat(new Promise<never>(() => undefined)));
  }

  /** Stop what was started, last first, each bounded by the stop timeout. Never throws. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (let i = this.started - 1; i >= 0; i--) {
        const c = this.components[i]!;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new StopTimeoutError(c.name, this.stopTimeoutMs)), this.stopTimeoutMs)));
        try {
          await Promise.race([c.stop(), timeout]);
        } catch (err) {
          this.log.error('stop failed', { part: c.name, err: err as Error });
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.stopping;
  }
}
