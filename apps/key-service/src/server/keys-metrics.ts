// Prometheus metrics of fortros-keys (served with `--metrics HOST:PORT`): derivations, and refusals by reason.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { KeyService } from '../service/key-service.js';

/** Refusals the key service core does not count itself (callers that could not be attributed). */
export interface RefusalCounts {
  unattributed: number;
}

/** Adds the key service's metrics to `registry`, each read from the service's own counters at scrape time. */
export function registerKeysMetrics(registry: Registry, c: { service: KeyService; refusals: RefusalCounts }): void {
  // Counters fed from the service's counts at each scrape: reset, then inc() by the current value.
  new Counter({
    name: 'fortros_keys_derivations_total',
    help: 'Keys derived and handed out since start.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(Number(c.service.status().derivations));
    },
  });
  new Counter({
    name: 'fortros_keys_refusals_total',
    help: 'Requests refused since start, by reason: denied (policy), rate_limited, unattributed (not a supervised caller).',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      const s = c.service.status();
      this.inc({ reason: 'denied' }, Number(s.denied));
      this.inc({ reason: 'rate_limited' }, Number(s.rateLimited));
      this.inc({ reason: 'unattributed' }, c.refusals.unattributed);
    },
  });
  new Gauge({
    name: 'fortros_keys_master_key_loaded',
    help: '1 while the master key is loaded and keys are served, else 0.',
    registers: [registry],
    collect() {
      this.set(c.service.status().masterKeyLoaded ? 1 : 0);
    },
  });
}
