// gRPC under the sync links: the outbound dialer (one client per link) and the OrgSync service handler.
import { bidiStream, closeClient, createClient, type ServiceRegistration, type StreamContext } from '@fortros/rpc';
import { MaintainerV1 } from '@fortros/proto';
import type { LinkDialer, PeerManager } from './peer-manager.js';

/** Dials OrgSync.Sync on `host:port`; closing the link cancels the call and closes the client. */
export const grpcDialer: LinkDialer = {
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
      messages: call.messages,
    };
  },
};

/** The OrgSync service: every inbound stream becomes a sync link of `peers`. */
export function orgSyncService(peers: PeerManager): ServiceRegistration {
  return {
    api: MaintainerV1.loadOrgSyncApi(),
    handlers: {
      Sync: (requests: AsyncIterable<MaintainerV1.SyncMessage__Output>, ctx: StreamContext<MaintainerV1.SyncMessage>) =>
        peers.acceptInbound(requests, (m) => ctx.send(m), ctx.signal),
    },
  };
}
