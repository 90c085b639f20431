// Test-only: wrappers of replication's peer directory, dialer and acceptor that cut links to peers on the drop list.
import type { MaintainerV1 } from '@fortros/proto';
import type { LinkAcceptor, LinkDialer, PeerDirectory } from '../replication/replicator.js';
import type { ReplicationPeer } from '../replication/peer-choice.js';
import type { DropList } from './drop-list.js';

type Message = MaintainerV1.SyncMessage__Output;

/** A member's gossip address by node id: what the drop list names (the membership layer knows it). */
export type AddressOf = (id: string) => string | undefined;

/** Dropped peers are nobody to replicate with: no link to them is opened, no push or anti-entropy round chooses them. */
export function dropDirectory(inner: PeerDirectory, drops: DropList, addressOf: AddressOf): PeerDirectory {
  return {
    replicationPeers: (): ReplicationPeer[] => inner.replicationPeers().filter((p) => !drops.isDropped(addressOf(p.id))),
  };
}

/** An outbound link ends once its peer's address (its OrgSync address, the same `host:port` as its gossip) is dropped. */
export function dropDialer(inner: LinkDialer, drops: DropList): LinkDialer {
  return {
    dial(address) {
      const link = inner.dial(address);
      return { transport: link.transport, messages: untilDropped(link.messages, drops, address, () => address) };
    },
  };
}

/** An inbound link ends once the node its hello named is dropped (at once, when it already is). */
export function dropAcceptor(inner: LinkAcceptor, drops: DropList, addressOf: AddressOf): LinkAcceptor {
  return {
    acceptInbound: (requests, send, signal) => inner.acceptInbound(untilDropped(requests, drops, undefined, (m) => (typeof m.from === 'string' && m.from !== '' ? addressOf(m.from) : undefined)), send, signal),
  };
}

/**
 * The messages of `source` until the peer sending them is dropped: a message from a dropped peer is discarded (and
 * counted) and ends the stream, and so does the drop list changing to name the peer while the stream waits. The
 * peer's address is `known`, or learnt from the first message `addressOf` knows it for.
 */
async function* untilDropped(source: AsyncIterable<Message>, drops: DropList, known: string | undefined, addressOf: (m: Message) => string | undefined): AsyncGenerator<Message> {
  let address = known;
  let cut!: () => void;
  const cutNow = new Promise<'cut'>((resolve) => (cut = () => resolve('cut')));
  const off = drops.onChange(() => drops.isDropped(address) && cut());
  const it = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const r = await Promise.race([it.next(), cutNow]);
      if (r === 'cut' || r.done) return;
      address ??= addressOf(r.value);
      if (drops.drop(address)) return;
      yield r.value;
    }
  } finally {
    off();
    void it.return?.();
  }
}
