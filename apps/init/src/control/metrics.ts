// Prometheus metrics of init (opt-in `--metrics ADDR:PORT`): service states, restarts, time to ready.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from '@fortros/log';
import { ServiceState } from '../service/lifecycle.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { BootTimeline } from './boot-timeline.js';

const STATES = Object.values(ServiceState);

export class MetricsServer {
  readonly registry = new Registry();
  private server: http.Server | undefined;
  address = '';

  constructor(
    private readonly c: { supervisor: Supervisor; timeline: BootTimeline; logger: Logger },
    private readonly listen: { host: string; port: number },
  ) {
    const { supervisor: sup, timeline } = c;
    collectDefaultMetrics({ register: this.registry, prefix: 'fortros_init_' });
    new Gauge({
      name: 'fortros_init_service_state',
      help: 'Current state of each service: 1 for the state it is in, 0 for the others.',
      labelNames: ['service', 'state'],
      registers: [this.registry],
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
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of sup.snapshot()) this.inc({ service: s.name }, s.restarts);
      },
    });
    new Gauge({
      name: 'fortros_init_service_time_to_ready_seconds',
      help: 'Seconds from first spawn to first readiness in this boot, per service that became ready.',
      labelNames: ['service'],
      registers: [this.registry],
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
      registers: [this.registry],
      collect() {
        this.reset();
        if (timeline.completedAt !== undefined) this.set((timeline.completedAt - timeline.startedAt) / 1000);
      },
    });
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end('not found: try GET /metrics\n');
        return;
      }
      this.registry.metrics().then(
        // prom-client spells NaN "Nan" (e.g. event-loop lag before its first sample); the text format says "NaN".
        (body) => res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(body.replace(/ Nan$/gm, ' NaN')),
        (err: Error) => {
          this.c.logger.error('metrics failed', { err });
          res.writeHead(500).end('internal error\n');
        },
      );
    });
    server.maxConnections = 64;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listen.port, this.listen.host, () => resolve());
    });
    const a = server.address() as AddressInfo;
    this.address = `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;
    this.server = server;
    this.c.logger.info('metrics listening', { address: this.address });
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
