// A HealthProber whose checks the test answers: every check it is asked to run waits until the test says pass or
// fail (or the supervisor cancels it), so a test decides each result at the fake clock's time of its choosing.
import { basename } from 'node:path';
import type { HealthProbe } from '@fortros/servicedir';
import type { HealthProber, ProbeContext, ProbeOutcome } from '../../src/health/health-probes.js';

export interface FakeCheck {
  /** The service, named by its directory. */
  service: string;
  probe: HealthProbe;
  ctx: ProbeContext;
  /** Set once answered or cancelled. */
  outcome?: ProbeOutcome;
  answer(outcome: ProbeOutcome): void;
}

export class FakeProber implements HealthProber {
  /** Every check asked for, in order. */
  readonly checks: FakeCheck[] = [];
  /** The most checks in flight at once. */
  maxInFlight = 0;

  run(probe: HealthProbe, ctx: ProbeContext): Promise<ProbeOutcome> {
    return new Promise((resolve) => {
      const check: FakeCheck = {
        service: basename(ctx.dir),
        probe,
        ctx,
        answer: (outcome) => {
          if (check.outcome) return;
          check.outcome = outcome;
          resolve(outcome);
        },
      };
      ctx.signal.addEventListener('abort', () => check.answer({ ok: false, message: 'cancelled' }));
      this.checks.push(check);
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight().length);
    });
  }

  /** Checks not answered yet. */
  inFlight(service?: string): FakeCheck[] {
    return this.checks.filter((c) => c.outcome === undefined && (service === undefined || c.service === service));
  }

  /** Answer the one check of `service` in flight; throws when there is none. */
  answer(service: string, ok: boolean, message: string): void {
    const open = this.inFlight(service);
    if (open.length !== 1) throw new Error(`${service}: expected 1 check in flight, got ${open.length}`);
    open[0]!.answer({ ok, message });
  }
}
