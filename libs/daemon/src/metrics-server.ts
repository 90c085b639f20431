// Prometheus metrics over HTTP (`--metrics HOST:PORT`, off by default): GET /metrics serves a prom-client registry.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { formatHostPort, type HostPort } from '@fortros/core';
import type { Logger } from '@fortros/log';
import { METRICS_MAX_CONNECTIONS } from './constants.js';
import type { Startable } from './startable.js';

/**
 * A registry for a daemon's own metrics, with prom-client's process metrics under `prefix` (`fortros_keys_`) when
 * `processMetrics` is set. Only a served registry should have them: their event-loop lag monitor wakes the event loop
 * ~100 times a second (~3 ms of CPU a second on this machine, per daemon, even idle).
 */
export function newMetricsRegistry(prefix: string, { processMetrics = true }: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix });
  return registry;
}

export class MetricsServer implements Startable {
  readonly name = 'metrics';
  private server: http.Server | undefined;
  /** The bound HOST:PORT ('' before start). */
  address = '';

  constructor(
    private readonly c: { registry: Registry; logger: Logger },
    private readonly listen: HostPort,
  ) {}

  async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end('not found: try GET /metrics\n');
        return;
      }
      this.c.registry.metrics().then(
        // prom-client spells NaN "Nan" (e.g. event-loop lag before its first sample); the text format says "NaN".
        (body) => res.writeHead(200, { 'Content-Type': this.c.registry.contentType }).end(body.replace(/ Nan$/gm, ' NaN')),
        (err: Error) => {
          this.c.logger.error('metrics failed', { err });
          res.writeHead(500).end('internal error\n');
        },
      );
    });
    server.maxConnections = METRICS_MAX_CONNECTIONS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listen.port, this.listen.host, () => resolve());
    });
    const a = server.address() as AddressInfo;
    this.address = formatHostPort({ host: a.address, port: a.port });
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
