// The fortros-keys daemon: the key service core, attribution through init, and the gRPC server, started and
// stopped together; health follows the master key; readiness once the key is loaded and the socket bound.
import type { Logger } from '@fortros/log';
import { KeysV1 } from '@fortros/proto';
import { RpcServer } from '@fortros/rpc';
import { Attributor } from '../attribution/attributor.js';
import type { ServiceDirectory } from '../attribution/identity.js';
import { PinnedProcFs, type ProcFs } from '@fortros/procfs';
import { KEYS_SOCKET_MODE } from '../constants.js';
import type { MasterKey } from '../crypto/master-key.js';
import type { RateLimiterOptions } from '../policy/rate-limit.js';
import { KeyService, type Health } from '../service/key-service.js';
import { InitServiceDirectory } from './init-directory.js';
import { ConnectionLimits, type ConnectionLimitOptions } from '../limits/connection-limits.js';
import { RefusalCounts, type RefusalReason } from '../limits/refusal-counts.js';
import { keysApi } from './keys-api.js';
import { RefusalLog } from './refusal-log.js';

export interface KeysDaemonOptions {
  /** Node root: the master key is `<root>/persist/keys/master.key`. */
  root: string;
  /** Where to serve (`<root>/run/fortros/keys.sock`). */
  socketPath: string;
  /** init's control socket, for the service directory (`<root>/run/fortros/init.sock`). */
  initSocketPath: string;
  policyFile?: string;
  rateLimit?: RateLimiterOptions;
  connectionLimits?: ConnectionLimitOptions;
}

export interface KeysDaemonComponents {
  logger: Logger;
  /** Called once, the first time the master key is loaded and the socket is bound (notifyReady). */
  onReady?: () => void;
  /** Default: init's ListServices on initSocketPath. */
  directory?: ServiceDirectory;
  proc?: ProcFs;
  loadMasterKey?: (root: string) => Promise<MasterKey>;
}

export class KeysDaemon {
  readonly service: KeyService;
  private readonly log: Logger;
  private readonly rpc: RpcServer;
  private readonly initDirectory: InitServiceDirectory | undefined;
  /** /proc reads for attribution, when the daemon owns them: each caller's stat file stays open (one pread a call). */
  private readonly pinnedProc: PinnedProcFs | undefined;
  private readonly onReady: (() => void) | undefined;
  /** Refused callers' warnings, rate-limited per pid; swept while the daemon runs. */
  private readonly refusals: RefusalLog;
  /** Refusals and forced closes by reason (refusalCounts()). */
  private readonly counts = new RefusalCounts();
  /** keys.sock's connection limits: per uid and in all at accept, per service once attributed. */
  readonly limits: ConnectionLimits;
  private bound = false;
  private readySignalled = false;
  private stopping: Promise<void> | undefined;

  constructor(options: KeysDaemonOptions, components: KeysDaemonComponents) {
    const { logger } = components;
    this.log = logger.child({ component: 'keys:daemon' });
    this.onReady = components.onReady;
    this.service = new KeyService(
      { root: options.root, ...(options.policyFile ? { policyFile: options.policyFile } : {}), ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) },
      { logger, ...(components.loadMasterKey ? { loadMasterKey: components.loadMasterKey } : {}) },
    );
    if (!components.directory) this.initDirectory = new InitServiceDirectory(options.initSocketPath);
    const directory = components.directory ?? this.initDirectory!;
    if (!components.proc) this.pinnedProc = new PinnedProcFs();
    const attributor = new Attributor({ directory, logger, proc: components.proc ?? this.pinnedProc! });
    this.refusals = new RefusalLog(logger.child({ component: 'keys:api' }));
    this.limits = new ConnectionLimits(this.counts, options.connectionLimits, this.refusals);
    this.rpc = new RpcServer({
      socketPath: options.socketPath,
      socketMode: KEYS_SOCKET_MODE,
      services: [keysApi({ service: this.service, attributor, logger, refusals: this.refusals, counts: this.counts, limits: this.limits })],
      logger,
      connections: this.limits,
    });
    this.service.on('health:changed', (health, reason) => this.onHealth(health, reason));
  }

  /** Refusals and forced closes so far, by reason (for metrics). */
  refusalCounts(): Record<RefusalReason, number> {
    return this.counts.snapshot();
  }

  /** The bound socket path ('' before start). */
  get address(): string {
    return this.rpc.address;
  }

  /**
   * Load the policy and the master key, then bind the socket. A bad policy file rejects (a configuration error);
   * a refused master key does not: the daemon serves, NOT_SERVING, so Status can say why. Idempotent.
   */
  async start(): Promise<void> {
    if (this.bound) return;
    await this.service.start();
    await this.rpc.start(); // sets every service SERVING; corrected below before any call can be read
    this.bound = true;
    this.refusals.start();
    this.applyHealth();
  }

  /** Try the master key again (SIGHUP), e.g. after the operator fixed its mode. */
  async retryMasterKey(): Promise<void> {
    this.log.info('retrying the master key', { state: this.service.status().state });
    await this.service.retryMasterKey();
  }

  /** Stop serving, forget the key, close the connection to init. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.rpc.stop();
      this.bound = false;
      this.refusals.stop(); // logs the refusals counted and not yet logged
      await this.service.stop();
      this.initDirectory?.close();
      this.pinnedProc?.close();
    })();
    return this.stopping;
  }

  private onHealth(health: Health, reason: string): void {
    if (this.stopping) return; // stopped on purpose: nothing to report
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
      try {
        this.onReady?.();
      } catch (err) {
        this.log.error('could not signal readiness', { err: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
