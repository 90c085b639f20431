// The fortros-keys daemon as Startable components: attribution inputs, the key service core, the refusal sweep and the
// gRPC server; health follows the master key; readiness once the key is loaded and the socket bound.
import { ComponentStack, startable, type Startable } from '@fortros/daemon';
import type { Logger } from '@fortros/log';
import { KeysV1 } from '@fortros/proto';
import { PinnedProcFs, type ProcFs } from '@fortros/procfs';
import { RpcServer } from '@fortros/rpc';
import type { Registry } from 'prom-client';
import { Attributor } from '../attribution/attributor.js';
import { ReconcilerLookup } from '../attribution/reconciler-lookup.js';
import { WorkloadResolver } from '../attribution/workload-resolver.js';
import type { ServiceDirectory } from '../attribution/identity.js';
import { KEYS_SOCKET_MODE } from '../constants.js';
import type { MasterKey } from '../crypto/master-key.js';
import type { RateLimiterOptions } from '../policy/rate-limit.js';
import { KeyService, type Health } from '../service/key-service.js';
import { InitServiceDirectory } from './init-directory.js';
import { ConnectionLimits, type ConnectionLimitOptions } from '../limits/connection-limits.js';
import { RefusalCounts, type RefusalReason } from '../limits/refusal-counts.js';
import { keysApi } from './keys-api.js';
import { registerKeysMetrics } from './keys-metrics.js';
import { RefusalLog } from './refusal-log.js';

export interface KeysDaemonOptions {
  /** Node root: the master key is `<root>/persist/keys/master.key`. */
  root: string;
  /** Where to serve (`<root>/run/fortros/keys.sock`). */
  socketPath: string;
  /** init's control socket, for the service directory (`<root>/run/fortros/init.sock`). */
  initSocketPath: string;
  /** The reconciler's socket, to attribute workload callers (`<root>/run/fortros/reconciler.sock`); absent: none are. */
  reconcilerSocketPath?: string;
  policyFile?: string;
  rateLimit?: RateLimiterOptions;
  connectionLimits?: ConnectionLimitOptions;
}

export interface KeysDaemonComponents {
  logger: Logger;
  /** Called once, the first time the master key is loaded and the socket is bound (notifyReady). */
  onReady?: () => void;
  /** Where the daemon's metrics go (served by the skeleton with --metrics); default: none. */
  metrics?: Registry;
  /** Default: init's ListServices on initSocketPath. */
  directory?: ServiceDirectory;
  proc?: ProcFs;
  loadMasterKey?: (root: string) => Promise<MasterKey>;
}

/**
 * The key service as a list of Startable components, in start order (the skeleton stops them in reverse):
 *   1. attribution inputs (init's service directory, the reconciler's ResolvePid, pinned /proc reads): nothing to
 *      start, closed last
 *   2. the key service core: policy and master key (a bad policy file fails the start; a refused key does not)
 *   3. the refusal log's sweep
 *   4. the gRPC server on keys.sock, health following the master key; `ready` once the key is first usable
 * start() and stop() run the same list for callers (tests) that hold one KeysDaemon.
 */
export class KeysDaemon implements Startable {
  readonly name = 'keys';
  readonly service: KeyService;
  readonly components: readonly Startable[];
  /** Resolves the first time the master key is loaded and the socket is bound. */
  readonly ready: Promise<void>;
  private readonly log: Logger;
  private readonly rpc: RpcServer;
  private readonly stack: ComponentStack;
  private markReady!: () => void;
  /** Refusals and forced closes by reason (refusalCounts(), metrics). */
  private readonly counts = new RefusalCounts();
  /** keys.sock's connection limits: per uid and in all at accept, per service once attributed. */
  readonly limits: ConnectionLimits;
  private bound = false;
  private readySignalled = false;
  private stopped = false;

  constructor(options: KeysDaemonOptions, components: KeysDaemonComponents) {
    const { logger } = components;
    this.log = logger.child({ component: 'keys:daemon' });
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
    if (components.onReady) {
      const onReady = components.onReady;
      void this.ready.then(() => {
        try {
          onReady();
        } catch (err) {
          this.log.error('could not signal readiness', { err: err instanceof Error ? err.message : String(err) });
        }
      });
    }
    this.service = new KeyService(
      { root: options.root, ...(options.policyFile ? { policyFile: options.policyFile } : {}), ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) },
      { logger, ...(components.loadMasterKey ? { loadMasterKey: components.loadMasterKey } : {}) },
    );
    const initDirectory = components.directory ? undefined : new InitServiceDirectory(options.initSocketPath);
    const pinnedProc = components.proc ? undefined : new PinnedProcFs();
    const reconciler = options.reconcilerSocketPath ? new ReconcilerLookup(options.reconcilerSocketPath) : undefined;
    const workloads = reconciler ? { workloads: new WorkloadResolver({ lookup: reconciler }) } : {};
    const attributor = new Attributor({ directory: components.directory ?? initDirectory!, logger, proc: components.proc ?? pinnedProc!, ...workloads });
    const refusals = new RefusalLog(logger.child({ component: 'keys:api' }));
    this.limits = new ConnectionLimits(this.counts, options.connectionLimits, refusals);
    if (components.metrics) registerKeysMetrics(components.metrics, { service: this.service, refusals: this.counts });
    this.rpc = new RpcServer({
      socketPath: options.socketPath,
      socketMode: KEYS_SOCKET_MODE,
      services: [keysApi({ service: this.service, attributor, logger, refusals, counts: this.counts, limits: this.limits })],
      logger,
      connections: this.limits,
    });
    this.service.on('health:changed', (health, reason) => this.onHealth(health, reason));
    const rpc = this.rpc;
    this.components = [
      startable('keys:attribution', async () => undefined, async () => {
        initDirectory?.close();
        reconciler?.close();
        pinnedProc?.close();
      }),
      startable('keys:service', () => this.service.start(), () => this.service.stop()),
      startable('keys:refusals', async () => refusals.start(), async () => refusals.stop()), // stop logs what is still counted
      {
        name: 'keys:server',
        ready: this.ready,
        start: async () => {
          await rpc.start(); // sets every service SERVING; corrected below before any call can be read
          this.bound = true;
          this.applyHealth();
        },
        stop: async () => {
          this.stopped = true;
          await rpc.stop();
          this.bound = false;
        },
      },
    ];
    this.stack = new ComponentStack(this.components, this.log);
  }

  /** Refusals and forced closes so far, by reason (for metrics). */
  refusalCounts(): Record<RefusalReason, number> {
    return this.counts.snapshot();
  }

  /** The bound socket path ('' before start). */
  get address(): string {
    return this.rpc.address;
  }

  /** Every component in order (tests; the daemon's main runs the list through the skeleton). Idempotent. */
  start(): Promise<void> {
    return this.stack.start();
  }

  /** Try the master key again (SIGHUP), e.g. after the operator fixed its mode. */
  async retryMasterKey(): Promise<void> {
    this.log.info('retrying the master key', { state: this.service.status().state });
    await this.service.retryMasterKey();
  }

  /** Stop serving, stop the sweep, forget the key, close the connection to init. Idempotent. */
  stop(): Promise<void> {
    return this.stack.stop();
  }

  private onHealth(health: Health, reason: string): void {
    if (this.stopped) return; // stopped on purpose: nothing to report
    if (health === 'SERVING') this.log.info('serving keys');
    else this.log.warn('not serving keys', { reason });
    if (this.bound) this.applyHealth();
  }

  /** grpc.health.v1 of the server and of fortros.keys.v1.Keys follow the master key; readiness the first time it is usable. */
  private applyHealth(): void {
    const serving = this.service.health === 'SERVING';
    this.rpc.setServing('', serving);
    this.rpc.setServing(KeysV1.KEYS_SERVICE, serving);
    if (serving && !this.readySignalled) {
      this.readySignalled = true;
      this.log.info('ready', { socket: this.rpc.address });
      this.markReady();
    }
  }
}
