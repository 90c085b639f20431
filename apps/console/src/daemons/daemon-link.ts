// A lazily made gRPC client on one daemon's unix socket; its absence or silence becomes DaemonDownError (shown on the
// page), never an exception a request handler would turn into a 500.
import { stat } from 'node:fs/promises';
import { closeClient, createClient, RpcCallError, StatusCode } from '@fortros/rpc';
import type { LoadedApi } from '@fortros/proto';
import { DaemonDownError } from '../errors.js';

type Client = Parameters<typeof closeClient>[0];

export class DaemonLink<C extends Client> {
  private client: C | undefined;

  constructor(
    readonly daemon: string,
    readonly socket: string,
    private readonly api: () => LoadedApi,
  ) {}

  /** Whether the socket exists (a daemon that never started has none). */
  async present(): Promise<boolean> {
    return stat(this.socket).then((s) => s.isSocket(), () => false);
  }

  /** Run `body` with the client; a missing socket or UNAVAILABLE/DEADLINE_EXCEEDED becomes DaemonDownError. */
  async use<T>(body: (client: C) => Promise<T>): Promise<T> {
    if (!(await this.present())) throw new DaemonDownError(this.daemon, this.socket, 'no socket');
    this.client ??= createClient<C>(this.api(), this.socket);
    try {
      return await body(this.client);
    } catch (err) {
      throw this.down(err);
    }
  }

  /** The client (for streams, whose errors come while iterating: pass them through down()). */
  async stream(): Promise<C> {
    if (!(await this.present())) throw new DaemonDownError(this.daemon, this.socket, 'no socket');
    this.client ??= createClient<C>(this.api(), this.socket);
    return this.client;
  }

  /** `err` as DaemonDownError when it says the daemon is unreachable; other errors unchanged. */
  down(err: unknown): unknown {
    if (err instanceof RpcCallError && (err.code === StatusCode.UNAVAILABLE || err.code === StatusCode.DEADLINE_EXCEEDED)) return new DaemonDownError(this.daemon, this.socket, err.details);
    return err;
  }

  close(): void {
    if (this.client) closeClient(this.client);
    this.client = undefined;
  }
}
