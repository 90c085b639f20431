// The connection to fortros-init: made on first use, after checking that its socket exists.
import { lstat } from 'node:fs/promises';
import { InitV1 } from '@fortros/proto';
import { closeClient, createClient } from '@fortros/rpc';
import { DaemonUnreachableError } from '../errors.js';

export class InitConnection {
  private client: InitV1.InitClient | undefined;

  constructor(readonly socket: string) {}

  /** The client; DaemonUnreachableError naming the socket when it is missing or not a socket. */
  async get(): Promise<InitV1.InitClient> {
    if (this.client) return this.client;
    const st = await lstat(this.socket).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new DaemonUnreachableError(`cannot reach fortros-init: ${this.socket} does not exist (is init running? see --root, --socket)`, this.socket);
      throw new DaemonUnreachableError(`cannot reach fortros-init at ${this.socket}: ${err.code ?? err.message}`, this.socket);
    });
    if (!st.isSocket()) throw new DaemonUnreachableError(`cannot reach fortros-init: ${this.socket} is not a socket`, this.socket);
    this.client = createClient<InitV1.InitClient>(InitV1.loadInitApi(), this.socket);
    return this.client;
  }

  close(): void {
    if (this.client) closeClient(this.client);
    this.client = undefined;
  }
}
