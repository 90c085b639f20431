// Prometheus metrics of fortros-keys (served with `--metrics HOST:PORT`): derivations, and refusals by reason.
import { Counter, Gauge, type Registry } from 'prom-client';
import { REFUSAL_REASONS, type RefusalCounts } from '../limits/refusal-counts.js';
import type { KeyService } from '../service/key-service.js';

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
    help: 'Connections and requests refused since start, by reason (limits/refusal-counts.ts; hyphens as underscores).',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const reason of REFUSAL_REASONS) this.inc({ reason: reason.replaceAll('-', '_') }, c.refusals.get(reason));
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
