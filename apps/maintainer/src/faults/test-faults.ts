// Test-only fault injection, as the composition root sees it: the drop list and the wrappers it puts around the
// gossip transport and replication's directory, dialer and acceptor. Production code never mentions it.
import type { Logger } from '@fortros/log';
import type { Transport } from '@fortros/swim';
import type { LinkAcceptor, LinkDialer, PeerDirectory } from '../replication/replicator.js';
import { dropAcceptor, dropDialer, dropDirectory, type AddressOf } from './drop-links.js';
import { DropList } from './drop-list.js';
import { DropTransport } from './drop-transport.js';

/** The test-only inputs (FORTROS_TEST_DROP_PEERS, FORTROS_TEST_DROP_PEERS_FILE; README "Fault injection"). */
export interface FaultInputs {
  dropPeers: readonly string[];
  dropPeersFile: string | undefined;
}

export class TestFaults {
  private readonly drops: DropList;

  private constructor(inputs: FaultInputs, log: Logger) {
    this.drops = new DropList({ ...inputs, log });
  }

  /** The wrappers to use, or undefined when no fault input is given (production: nothing is wrapped). */
  static fromInputs(inputs: FaultInputs, log: Logger): TestFaults | undefined {
    if (inputs.dropPeers.length === 0 && inputs.dropPeersFile === undefined) return undefined;
    return new TestFaults(inputs, log.child({ component: 'maintainer:faults' }));
  }

  /** Packets and messages dropped so far. */
  get dropped(): number {
    return this.drops.dropped;
  }

  start(): Promise<void> {
    return this.drops.start();
  }

  stop(): void {
    this.drops.stop();
  }

  transport(inner: Transport): Transport {
    return new DropTransport(inner, this.drops);
  }

  directory(inner: PeerDirectory, addressOf: AddressOf): PeerDirectory {
    return dropDirectory(inner, this.drops, addressOf);
  }

  dialer(inner: LinkDialer): LinkDialer {
    return dropDialer(inner, this.drops);
  }

  acceptor(inner: LinkAcceptor, addressOf: AddressOf): LinkAcceptor {
    return dropAcceptor(inner, this.drops, addressOf);
  }
}
