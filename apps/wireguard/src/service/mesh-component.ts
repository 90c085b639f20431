// The mesh interface as the skeleton's Startable: start() loads (or makes) the node key and runs the interface's
// lifecycle until it is up; stop() removes it; `failed` reports a wireguard-go that died after start (exit 1).
import type { Startable } from '@fortros/daemon';
import type { Logger } from '@fortros/log';
import { MeshInterfaceFailedError } from '../errors.js';
import { loadOrCreatePrivateKey } from '../key-file.js';
import { MeshInterfaceService, type MeshInterfaceConfig } from './mesh-interface.js';

export interface MeshComponentConfig extends Omit<MeshInterfaceConfig, 'privateKey'> {
  /** The node's private key file (NODE_PATHS.wireguardKey under the root). */
  keyPath: string;
}

export class MeshInterfaceComponent implements Startable {
  readonly name = 'wireguard:interface';
  readonly ready: Promise<void>;
  readonly failed: Promise<Error>;
  private markReady!: () => void;
  private markFailed!: (err: Error) => void;
  private service: MeshInterfaceService | undefined;
  private running: Promise<number> | undefined;
  private starting: Promise<void> | undefined;
  private stopRequested = false;

  constructor(
    private readonly config: MeshComponentConfig,
    private readonly c: { log: Logger },
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.failed = new Promise((resolve) => (this.markFailed = resolve));
  }

  start(): Promise<void> {
    return (this.starting ??= this.run());
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    this.service?.requestStop();
    await this.running;
  }

  private async run(): Promise<void> {
    const { keyPath, ...rest } = this.config;
    const key = await loadOrCreatePrivateKey(keyPath); // a refused file (RefusedFileError) makes the daemon exit 2
    if (key.created) this.c.log.info('made a new private key', { path: keyPath });
    if (this.stopRequested) return;
    const service = new MeshInterfaceService({ ...rest, privateKey: key.privateKey }, { log: this.c.log, onReady: () => this.markReady() });
    this.service = service;
    const running = (this.running = service.run());
    const early = await Promise.race([this.ready.then(() => undefined), running]);
    if (early !== undefined && early !== 0) throw new MeshInterfaceFailedError(rest.interfaceName, 'failed before it was up (see the log above)');
    void running.then((code) => {
      if (code !== 0) this.markFailed(new MeshInterfaceFailedError(rest.interfaceName, 'wireguard-go exited'));
    });
  }
}
