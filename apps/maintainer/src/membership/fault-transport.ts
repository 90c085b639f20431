// A Transport decorator that drops datagrams to and from peers on the test-only drop list (FaultInjector).
import type { PacketHandler, Transport } from '@fortros/swim';
import type { FaultInjector } from '../sync/faults.js';

export class FaultFilterTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly faults: FaultInjector,
  ) {}

  get address(): string {
    return this.inner.address;
  }

  send(address: string, packet: Uint8Array): void {
    if (this.faults.drop(address)) return;
    this.inner.send(address, packet);
  }

  onPacket(handler: PacketHandler): void {
    this.inner.onPacket((from, packet) => {
      if (!this.faults.drop(from)) handler(from, packet);
    });
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
