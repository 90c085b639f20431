// An RPC server: gRPC on a unix socket (kernel peer credentials per call) or TCP, with health and reflection.
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { Logger } from '@fortros/log';
import type { LoadedApi } from '@fortros/proto';
import { DEFAULT_SOCKET_MODE, MAX_CONCURRENT_STREAMS, MAX_CONNECTIONS, MAX_MESSAGE_BYTES, STOP_GRACE_MS } from './constants.js';
import { SocketInUseError } from './errors.js';
import { adaptHandler, LiveCalls, type AnyHandler, type AsyncHandlers, type CallContext } from './handlers.js';
import { encodePeer } from './peer-cred.js';
import { ConnectionRegistry, type ConnectionPolicy } from './peer-connection.js';
import { addReflection, type DescriptorSource } from './reflection-server.js';

declare const REGISTERED: unique symbol;

/** One service to serve. Made only by defineService, so its handler set was checked against the proto at compile time. */
export interface ServiceRegistration {
  readonly api: LoadedApi;
  /** One async handler per RPC method, keyed by its proto name (e.g. `GetService`). */
  readonly handlers: Readonly<Record<string, AnyHandler>>;
  readonly [REGISTERED]: true;
}

/**
 * A service for RpcServer: `handlers` has one async handler for every method of `api` and no other, typed from the
 * generated handler interface `H`, so a missing, misspelt or mistyped handler is a compile error. (An API loaded
 * without its handler interface, `LoadedApi<unknown>`, is refused too.) RpcServer checks the names again at run time.
 */
export function defineService<H extends object>(api: LoadedApi<H>, handlers: AsyncHandlers<NoInfer<H>>): ServiceRegistration {
  return { api, handlers: handlers as Record<string, AnyHandler> } as ServiceRegistration;
}

export interface RpcServerOptions {
  /** Serve on this unix socket (stale socket removed, mode applied). */
  socketPath?: string;
  /** Or on this TCP address, `host:port`. */
  tcpAddress?: string;
  socketMode?: number;
  /** Largest message received or sent, in bytes (default MAX_MESSAGE_BYTES); smaller for endpoints outsiders reach. */
  maxMessageBytes?: number;
  services: ServiceRegistration[];
  logger: Logger;
  /** Descriptor sets for services whose .proto is not in proto/ (test fixtures); reflection serves them too. */
  descriptorSets?: DescriptorSource[];
  /** Unix socket only: who may hold a connection (asked at accept), and the idle timeout. Default: everyone, no timeout. */
  connections?: ConnectionPolicy;
}

export class RpcServer {
  private readonly server: grpc.Server;
  private readonly health: HealthImplementation;
  private readonly live = new LiveCalls();
  private readonly log: Logger;
  private listener: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly connections: ConnectionRegistry;
  private started = false;
  private stopped = false;
  /** The bound address: the socket path, or `host:port` with the real port. */
  address = '';

  constructor(private readonly options: RpcServerOptions) {
    if (!options.socketPath === !options.tcpAddress) throw new TypeError('RpcServer: expected exactly one of socketPath or tcpAddress');
    this.log = options.logger.child({ component: 'rpc:server' });
    this.connections = new ConnectionRegistry(options.connections?.idleTimeoutMs ?? 0);
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
      'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS,
    });
    const statuses: Record<string, ServingStatus> = { '': 'NOT_SERVING' };
    for (const { api, handlers } of options.services) {
      const impl: grpc.UntypedServiceImplementation = {};
      for (const name of Object.keys(handlers)) {
        if (!Object.hasOwn(api.definition, name)) throw new TypeError(`${api.serviceName}: handler ${name} is for no method of the service`);
      }
      for (const [name, def] of Object.entries(api.definition)) {
        const handler = handlers[name];
        if (!handler) throw new TypeError(`${api.serviceName}: no handler for method ${name}`);
        impl[name] = adaptHandler(def as grpc.MethodDefinition<unknown, unknown>, this.onConnection(handler), this.log, this.live);
      }
      this.server.addService(api.definition, impl);
      statuses[api.serviceName] = 'NOT_SERVING';
    }
    this.health = new HealthImplementation(statuses);
    this.health.addToServer(this.server);
    const names = options.services.map(({ api }) => api.serviceName);
    addReflection(this.server, names, options.descriptorSets ?? [], (def, handler) => adaptHandler(def, handler, this.log, this.live));
  }

  /** Bind and serve. Health reports SERVING for every service once bound, unless setServing says otherwise. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.options.socketPath) await this.listenUnix(this.options.socketPath);
    else await this.listenTcp(this.options.tcpAddress!);
    this.setServing('', true);
    for (const { api } of this.options.services) this.setServing(api.serviceName, true);
    this.log.info('serving', { address: this.address });
  }

  /** grpc.health.v1 status of one service ('' = the server as a whole). */
  setServing(serviceName: string, serving: boolean): void {
    this.health.setStatus(serviceName, serving ? 'SERVING' : 'NOT_SERVING');
  }

  /**
   * Stop serving: health NOT_SERVING, no new connection, and every call in flight (and any arriving meanwhile) aborted
   * with SERVER_STOPPING, so its client is told UNAVAILABLE ("<service> is stopping"), not a normal end. Calls still
   * open after STOP_GRACE_MS are cut with the connections.
   */
  async stop(): Promise<void> {
    if (this.stopped || !this.started) return;
    this.stopped = true;
    this.setServing('', false);
    for (const { api } of this.options.services) this.setServing(api.serviceName, false);
    // Stop accepting first, so no connection arrives after the gRPC server has begun shutting down.
    const listenerClosed = this.listener ? new Promise<void>((resolve) => this.listener!.close(() => resolve())) : Promise.resolve();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, STOP_GRACE_MS);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
      // Long-lived streams (watch, follow) never finish on their own: abort them so shutdown can complete.
      this.live.abortAll();
    });
    // Whatever connection is still open (one accepted during shutdown, a client that never closes) is cut.
    for (const socket of this.sockets) socket.destroy();
    await listenerClosed;
    if (this.listener) await unlink(this.options.socketPath!).catch(() => undefined);
  }

  private async listenUnix(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    await removeStaleSocket(path);
    const injector = this.server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
    const policy = this.options.connections;
    const listener = net.createServer((socket) => {
      this.sockets.add(socket);
      // credentials and a pidfd of the peer process, read before anything else can happen to it
      const connection = this.connections.accept(socket);
      const refusal = policy?.admit(connection);
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.connections.release(connection); // closes its pidfd
        if (policy && refusal === undefined) policy.closed(connection);
      });
      if (refusal !== undefined) return connection.close('refused');
      if (connection.credentials) Object.defineProperty(socket, 'remoteAddress', { value: encodePeer(connection.credentials), configurable: true });
      injector.injectConnection(socket);
    });
    listener.maxConnections = MAX_CONNECTIONS;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(path, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    listener.on('error', (err) => this.log.error('listener error', { err }));
    await chmod(path, this.options.socketMode ?? DEFAULT_SOCKET_MODE);
    this.listener = listener;
    this.address = path;
  }

  /** `handler` with the call's live connection in `ctx.peer.connection`, counted as a call in flight on it. */
  private onConnection(handler: AnyHandler): AnyHandler {
    return async (arg: unknown, ctx: CallContext) => {
      const id = ctx.peer?.connectionId;
      const connection = id !== undefined ? this.connections.get(id) : undefined;
      if (!connection || !ctx.peer) return handler(arg, ctx);
      ctx.peer = { ...ctx.peer, connection };
      connection.callStarted();
      try {
        return await handler(arg, ctx);
      } finally {
        connection.callEnded();
      }
    };
  }

  private async listenTcp(address: string): Promise<void> {
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.address = address.replace(/:\d+$/, `:${port}`);
  }
}

/** A socket file nobody listens on is removed; one with a live listener is an error; anything else too. */
async function removeStaleSocket(path: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return;
  if (!st.isSocket()) throw new SocketInUseError(`${path}: exists and is not a socket; refusing to remove it`);
  const live = await new Promise<boolean>((resolve) => {
    const c = net.connect(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (live) throw new SocketInUseError(`${path}: another server is listening on it`);
  await unlink(path);
}
