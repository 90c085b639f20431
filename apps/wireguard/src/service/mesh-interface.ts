// Holds the node's mesh interface: removes a leftover of an earlier run, creates the interface (kernel module or a
// wireguard-go child), configures key, port, address and MTU, brings it up and reports readiness; then waits. If
// wireguard-go dies the service fails (exit 1, so init restarts it); on a stop request it removes the interface.
import { rm } from 'node:fs/promises';
import { BoundedQueue } from '@fortros/core';
import type { Logger } from '@fortros/log';
import { userspaceSocketPath, WireguardInterface, type BackendChoice } from '@fortros/wireguard';
import { MAX_PENDING_EVENTS } from '../constants.js';
import { exitCodeOf, step, type MeshEvent, type MeshState } from './lifecycle.js';

export interface MeshInterfaceConfig {
  interfaceName: string;
  privateKey: string;
  listenPort: number;
  address: string | undefined;
  mtu: number | undefined;
  backend: BackendChoice;
}

export interface MeshInterfaceComponents {
  log: Logger;
  /** Called once, when the interface is up and configured. */
  onReady: () => void;
}

export class MeshInterfaceService {
  private state: MeshState = 'starting';
  // Lifecycle events for the loop; a handful ever come, so the bound (and its drops) is never reached in practice.
  private readonly events = new BoundedQueue<MeshEvent>({ max: MAX_PENDING_EVENTS, onFull: 'drop-newest', what: 'mesh interface events' });
  private wg: WireguardInterface | undefined;
  private starting: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: MeshInterfaceConfig,
    private readonly components: MeshInterfaceComponents,
  ) {}

  /** Ask the service to remove the interface and finish (only enqueues). */
  requestStop(): void {
    this.events.push('stop:requested');
  }

  /** Run until stopped or failed; returns the exit code. */
  async run(): Promise<number> {
    const { log } = this.components;
    this.starting = this.start().then(
      () => void this.events.push('interface:ready'),
      (err: unknown) => {
        log.error('could not create the mesh interface', { interface: this.config.interfaceName, err: err instanceof Error ? err.message : String(err) });
        void this.events.push('interface:failed');
      },
    );
    for (;;) {
      const event = (await this.events.next())!; // no abort signal: next() always yields an event
      const from = this.state;
      this.state = step(from, event);
      if (this.state === from) continue;
      log.info('mesh interface state', { interface: this.config.interfaceName, from, to: this.state, event });
      await this.enter(this.state, event);
      const code = exitCodeOf(this.state);
      if (code !== undefined) return code;
    }
  }

  /** The side effects of entering a state. */
  private async enter(state: MeshState, event: MeshEvent): Promise<void> {
    const { log } = this.components;
    switch (state) {
      case 'up': {
        log.info('mesh interface up', { interface: this.config.interfaceName, backend: this.wg!.backend, pid: this.wg!.userspace?.pid, listenPort: this.config.listenPort });
        this.components.onReady();
        void this.wg!.userspace?.exited.then(() => this.events.push('backend:exited'));
        return;
      }
      case 'stopping':
        await this.starting;
        await this.remove();
        this.events.push('interface:removed');
        return;
      case 'failed': {
        const u = this.wg?.userspace;
        if (event === 'backend:exited') log.error('wireguard-go exited', { interface: this.config.interfaceName, code: u?.exit?.code, signal: u?.exit?.signal, output: u?.output });
        await this.remove().catch((err: unknown) => log.warn('could not remove the interface', { interface: this.config.interfaceName, err: String(err) }));
        return;
      }
      case 'starting':
      case 'stopped':
        return;
    }
  }

  private async start(): Promise<void> {
    const { interfaceName: name, backend } = this.config;
    const leftover = WireguardInterface.attach(name);
    if (await leftover.exists()) {
      this.components.log.warn('removing a leftover interface of an earlier run', { interface: name });
      await leftover.delete();
    }
    // a wireguard-go killed outright leaves its control socket behind
    await rm(userspaceSocketPath(name), { force: true });
    this.wg = await WireguardInterface.create(name, { backend });
    await this.wg.setPrivateKey(this.config.privateKey);
    await this.wg.setListenPort(this.config.listenPort);
    if (this.config.mtu !== undefined) await this.wg.setMtu(this.config.mtu);
    if (this.config.address !== undefined) await this.wg.addAddress(this.config.address);
    await this.wg.up();
  }

  /** Delete the interface (wireguard-go exits with it); also after a failed or half-done start. */
  private async remove(): Promise<void> {
    if (this.wg) await this.wg.delete();
    else await WireguardInterface.attach(this.config.interfaceName).delete();
  }
}
