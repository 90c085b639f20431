// The connection to fortros-init: made on first use, after checking its socket; the gRPC stack is loaded only then.
import type { InitV1 } from '@fortros/proto';
import { loadProto, loadRpc } from './grpc-stack.js';
import { checkSocket } from './unreachable.js';

export class InitConnection {
  private client: InitV1.InitClient | undefined;
  private closeClient: ((client: InitV1.InitClient) => void) | undefined;

  constructor(readonly socket: string) {}

  /** The client; DaemonUnreachableError naming the socket when it is missing, not a socket or not ours to use. */
  async get(): Promise<InitV1.InitClient> {
    if (this.client) return this.client;
    await checkSocket('fortros-init', this.socket);
    const [rpc, proto] = await Promise.all([loadRpc(), loadProto()]);
    this.closeClient = rpc.closeClient;
    this.client = rpc.createClient<InitV1.InitClient>(proto.InitV1.loadInitApi(), this.socket);
    return this.client;
  }

  close(): void {
    if (this.client) this.closeClient?.(this.client);
    this.client = undefined;
  }
}
