// Test-only: a SWIM Transport wrapper that drops datagrams to and from peers on the drop list.
import type { PacketHandler, Transport } from '@fortros/swim';
import type { DropList } from './drop-list.js';

export class DropTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly drops: DropList,
  ) {}

  get address(): string {
    return this.inner.address;
  }

  send(address: string, packet: Uint8Array): void {
    if (this.drops.drop(address)) return;
    this.inner.send(address, packet);
  }

  onPacket(handler: PacketHandler): void {
    this.inner.onPacket((from, packet) => {
      if (!this.drops.drop(from)) handler(from, packet);
    });
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
