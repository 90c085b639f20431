// Observed statuses on their way to the maintainer (ReportObserved): the newest status per workload waits here
// until the maintainer has taken it, so an outage loses nothing and a flood of changes sends only the latest.
import type { Logger } from '@fortros/log';
import { RpcCallError, StatusCode } from '@fortros/rpc';
import { MAX_WORKLOADS, REPORT_CONCURRENCY } from '../constants.js';
import type { ObservedStatus } from '../plan/planner.js';
import { Backoff } from './backoff.js';

export interface StatusSink {
  report(status: object, signal: AbortSignal): Promise<void>;
}

/** DESIGN §6's names as the maintainer validates them: an empty reason is left out. */
export function wireStatus(s: ObservedStatus): Record<string, unknown> {
  const { reason, ...rest } = s;
  return reason === '' ? rest : { ...rest, reason };
}

export class StatusReporter {
  private readonly pending = new Map<string, ObservedStatus>();
  private readonly log: Logger;
  private controller: AbortController | undefined;
  private flushing: Promise<void> | undefined;
  private readonly backoff = new Backoff();

  constructor(private readonly sink: StatusSink, logger: Logger) {
    this.log = logger.child({ component: 'reconciler:report' });
  }

  start(): void {
    this.controller ??= new AbortController();
    this.flush();
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    this.controller = undefined;
    await this.flushing;
  }

  /** Queue statuses (a newer one of the same workload replaces the older) and send them. */
  push(statuses: readonly ObservedStatus[]): void {
    for (const s of statuses) {
      if (this.pending.size >= MAX_WORKLOADS && !this.pending.has(s.workload)) continue;
      this.pending.set(s.workload, s);
    }
    this.flush();
  }

  /** Send what waits; after a failure, retry with backoff until the maintainer takes it. */
  flush(): void {
    const signal = this.controller?.signal;
    if (!signal || this.flushing || this.pending.size === 0) return;
    this.flushing = (async () => {
      while (this.pending.size > 0 && !signal.aborted) {
        const batch = [...this.pending.values()].slice(0, REPORT_CONCURRENCY);
        const results = await Promise.allSettled(batch.map((s) => this.sink.report(wireStatus(s), signal)));
        let failed: unknown;
        results.forEach((r, i) => {
          const s = batch[i]!;
          if (r.status === 'rejected' && r.reason instanceof RpcCallError && r.reason.code === StatusCode.INVALID_ARGUMENT) {
            // refused for good (a bug on one side): retrying cannot help, and must not hold back the others
            this.log.error('the maintainer refused an observed status', { workload: s.workload, err: r.reason.message });
            if (this.pending.get(s.workload) === s) this.pending.delete(s.workload);
          } else if (r.status === 'rejected') failed ??= r.reason;
          else if (this.pending.get(s.workload) === s) this.pending.delete(s.workload);
        });
        if (failed === undefined) {
          this.backoff.reset();
          continue;
        }
        if (signal.aborted) return;
        this.log.warn('reporting observed status failed; retrying', { err: (failed as Error).message, waiting: this.pending.size });
        try {
          await this.backoff.wait(signal);
        } catch {
          return;
        }
      }
    })().finally(() => {
      this.flushing = undefined;
      if (this.pending.size > 0 && this.controller) this.flush();
    });
  }
}
