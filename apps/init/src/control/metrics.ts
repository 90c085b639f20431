// Prometheus metrics of init (opt-in `--metrics ADDR:PORT`): service states, restarts, time to ready. The serving
// (and prom-client's process metrics, prefix fortros_init_) is @fortros/daemon's MetricsServer.
import { Counter, Gauge, type Registry } from 'prom-client';
import { ServiceState } from '../service/lifecycle.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { BootTimeline } from './boot-timeline.js';

const STATES = Object.values(ServiceState);

/** Adds init's own metrics to `registry`, each read from the supervisor at scrape time. */
export function registerInitMetrics(registry: Registry, c: { supervisor: Supervisor; timeline: BootTimeline }): void {
  const { supervisor: sup, timeline } = c;
  new Gauge({
    name: 'fortros_init_service_state',
    help: 'Current state of each service: 1 for the state it is in, 0 for the others.',
    labelNames: ['service', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sup.snapshot()) for (const st of STATES) this.set({ service: s.name, state: st }, s.state === st ? 1 : 0);
    },
  });
  // A counter (TYPE counter, as its _total name promises), fed from the supervisor's own count at each scrape:
  // reset, then inc() by the current value (prom-client counters have no set()).
  new Counter({
    name: 'fortros_init_service_restarts_total',
    help: 'Restarts of each service since boot.',
    labelNames: ['service'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sup.snapshot()) this.inc({ service: s.name }, s.restarts);
    },
  });
  new Gauge({
    name: 'fortros_init_service_time_to_ready_seconds',
    help: 'Seconds from first spawn to first readiness in this boot, per service that became ready.',
    labelNames: ['service'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sup.snapshot()) {
        const m = timeline.mark(s.name);
        if (m.spawnedAt !== undefined && m.readyAt !== undefined) this.set({ service: s.name }, (m.readyAt - m.spawnedAt) / 1000);
      }
    },
  });
  new Gauge({
    name: 'fortros_init_boot_seconds',
    help: 'Seconds from boot start until every wanted service was ready or failed (absent until then).',
    registers: [registry],
    collect() {
      this.reset();
      if (timeline.completedAt !== undefined) this.set((timeline.completedAt - timeline.startedAt) / 1000);
    },
  });
}
