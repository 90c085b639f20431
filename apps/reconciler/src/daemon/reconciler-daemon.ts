// The composition root of fortros-reconciler: the maintainer link, the status reporter, the converger over the
// node's drivers and the API server, started in order and stopped in reverse. Stopping never stops a workload.
import { join } from 'node:path';
import type { Startable } from '@fortros/daemon';
import type { Logger } from '@fortros/log';
import { PinnedProcFs } from '@fortros/procfs';
import { ReconcilerV1 } from '@fortros/proto';
import { RpcServer } from '@fortros/rpc';
import { DRAIN_FLAG_PATH, RECONCILER_SOCKET_MODE, WORKLOAD_LOG_PATH } from '../constants.js';
import { Converger } from './converger.js';
import { nodeDrivers } from './drivers.js';
import { waitForKeyService } from './keys-probe.js';
import { MaintainerLink } from './maintainer-link.js';
import { reconcilerApi } from './reconciler-api.js';
import { StatusReporter } from './status-reporter.js';

export interface ReconcilerDaemonOptions {
  root: string;
  socketPath: string;
  maintainerSocketPath: string;
  keysSocketPath: string;
}

export interface ReconcilerDaemonComponents {
  logger: Logger;
}

/** One Startable for the daemon skeleton: start() returns once ready (the skeleton then signals readiness). */
export class ReconcilerDaemon implements Startable {
  readonly name = 'reconciler';
  private readonly log: Logger;
  private readonly link: MaintainerLink;
  private readonly reporter: StatusReporter;
  private readonly converger: Converger;
  private readonly rpc: RpcServer;
  private readonly proc = new PinnedProcFs();
  private controller: AbortController | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: ReconcilerDaemonOptions, private readonly c: ReconcilerDaemonComponents) {
    this.log = c.logger.child({ component: 'reconciler:daemon' });
    this.link = new MaintainerLink({ socketPath: options.maintainerSocketPath, logger: c.logger, onChange: () => this.converger.request() });
    this.reporter = new StatusReporter(this.link, c.logger);
    this.converger = new Converger({
      desired: this.link,
      drivers: nodeDrivers(options.root),
      logger: c.logger,
      onStatuses: (s) => this.reporter.push(s),
      drainFlag: join(options.root, DRAIN_FLAG_PATH),
    });
    const logRoot = join(options.root, WORKLOAD_LOG_PATH);
    const view = {
      nodeId: () => this.link.self?.id ?? '',
      statuses: this.converger.statuses,
      specs: this.link.specs,
      runningPids: this.converger.runningPids,
      runningStarts: this.converger.runningStarts,
      logDir: (id: string) => join(logRoot, id),
    };
    this.rpc = new RpcServer({ socketPath: options.socketPath, socketMode: RECONCILER_SOCKET_MODE, services: [reconcilerApi(view, this.proc)], logger: c.logger });
  }

  get address(): string {
    return this.rpc.address;
  }

  /**
   * Serve, connect, and converge. Resolves once ready (maintainer synced, key service answering, first pass done);
   * until the maintainer's first snapshot no pass runs, so nothing adopted is stopped for want of its spec.
   */
  async start(): Promise<void> {
    if (this.controller) return;
    this.controller = new AbortController();
    const { signal } = this.controller;
    await this.rpc.start();
    this.rpc.setServing('', false);
    this.rpc.setServing(ReconcilerV1.RECONCILER_SERVICE, false);
    this.link.start();
    this.reporter.start();
    await this.link.whenSynced(signal);
    await waitForKeyService(this.options.keysSocketPath, this.c.logger, signal);
    this.converger.start();
    await this.converger.nextPass(signal);
    this.rpc.setServing('', true);
    this.rpc.setServing(ReconcilerV1.RECONCILER_SERVICE, true);
    this.log.info('ready', { socket: this.rpc.address, node: this.link.self?.id });
  }

  /** Stop serving and converging; every workload keeps running (its anchor holds it). Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.controller?.abort();
      await this.rpc.stop();
      await this.converger.stop();
      await this.reporter.stop();
      this.link.stop();
      this.proc.close();
    })();
    return this.stopping;
  }
}
