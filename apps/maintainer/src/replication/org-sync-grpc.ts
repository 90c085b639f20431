// OrgSync over gRPC, under the peer links: the outbound dialer (one client per link) and the OrgSync service.
import { bidiStream, closeClient, createClient, defineService, RpcCallError, StatusCode, type ServiceRegistration } from '@fortros/rpc';
import { MaintainerV1 } from '@fortros/proto';
import { OrgSyncUnavailableError } from '../errors.js';
import type { LinkAcceptor, LinkDialer } from './replicator.js';

/** The peer's messages; the stream ending UNAVAILABLE (the peer stopping, refusing or dropping us) is OrgSyncUnavailableError. */
async function* peerMessages(messages: AsyncIterable<MaintainerV1.SyncMessage__Output>, address: string): AsyncGenerator<MaintainerV1.SyncMessage__Output> {
  try {
    yield* messages;
  } catch (err) {
    if (err instanceof RpcCallError && err.code === StatusCode.UNAVAILABLE) throw new OrgSyncUnavailableError(address, err.details, { cause: err });
    throw err;
  }
}

/** Dials OrgSync.Sync on `host:port`; closing the link cancels the call and closes the client. */
export const orgSyncDialer: LinkDialer = {
  dial(address) {
    const client = createClient<MaintainerV1.OrgSyncClient>(MaintainerV1.loadOrgSyncApi(), address);
    const call = bidiStream(client, 'Sync');
    let closed = false;
    return {
      transport: {
        send: (m) => call.send(m),
        close: () => {
          if (closed) return;
          closed = true;
          call.cancel();
          closeClient(client);
        },
      },
      messages: peerMessages(call.messages, address),
    };
  },
};

/** The OrgSync service: every inbound stream becomes a peer link of `peers`; `admit`, when given, vets the caller's address first (it throws to refuse). */
export function orgSyncService(peers: LinkAcceptor, admit?: (peerAddress: string) => void): ServiceRegistration {
  return defineService(MaintainerV1.loadOrgSyncApi(), {
    Sync: async (requests, ctx) => {
      admit?.(ctx.peerAddress);
      await peers.acceptInbound(requests, (m) => ctx.send(m), ctx.signal);
    },
  });
}
