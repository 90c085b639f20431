// Plain async handlers (STYLE §13) and their adaptation to grpc-js call objects: abort on cancel, errors mapped once.
import type { Readable } from 'node:stream';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@fortros/log';
import { CALL_OVER, SERVER_STOPPING } from './abort-reasons.js';
import { decodePeer, type PeerCredentials } from './peer-cred.js';
import { toServiceError } from './status-map.js';

export interface CallContext {
  /**
   * Aborted when the client cancels, the deadline passes, or the server stops; and once the call is over, whatever
   * its outcome (grpc-js reports the end of every call as a cancel), so cleanup registered on it always runs.
   * `signal.reason === SERVER_STOPPING` when the server's stop aborted it: the client is then told UNAVAILABLE,
   * whether the handler returns or throws (a stream it returns from early is incomplete). Otherwise the reason is
   * CALL_OVER and the client is gone: nothing more reaches it.
   */
  signal: AbortSignal;
  /** Kernel-attested credentials of a unix-socket caller (SO_PEERCRED); undefined over TCP. */
  peer?: PeerCredentials;
  /** grpc-js's peer string (address:port over TCP). */
  peerAddress: string;
  /** Full method name, e.g. `/fortros.init.v1.Init/GetService`. */
  method: string;
  /** Request metadata, first value per key. */
  metadata: Record<string, string>;
}

export interface StreamContext<Res> extends CallContext {
  /** Write one message; resolves when the transport can take more (backpressure). Rejects once cancelled. */
  send(message: Res): Promise<void>;
}

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;
export type ServerStreamHandler<Req, Res> = (request: Req, ctx: StreamContext<Res>) => Promise<void>;
export type ClientStreamHandler<Req, Res> = (requests: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>;
export type BidiStreamHandler<Req, Res> = (requests: AsyncIterable<Req>, ctx: StreamContext<Res>) => Promise<void>;

/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyHandler = (arg: any, ctx: any) => Promise<any>;

/** The async form of a generated `XxxHandlers` interface. */
export type AsyncHandlers<H> = {
  [K in keyof H as string extends K ? never : K]: H[K] extends grpc.handleBidiStreamingCall<infer Q, infer R>
    ? BidiStreamHandler<Q, R>
    : H[K] extends grpc.handleServerStreamingCall<infer Q, infer R>
      ? ServerStreamHandler<Q, R>
      : H[K] extends grpc.handleClientStreamingCall<infer Q, infer R>
        ? ClientStreamHandler<Q, R>
        : H[K] extends grpc.handleUnaryCall<infer Q, infer R>
          ? UnaryHandler<Q, R>
          : never;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;

/** The calls in progress on one server: all aborted at once when it stops (one set, not one stop listener per call). */
export class LiveCalls {
  private readonly controllers = new Set<AbortController>();
  private stopped = false;

  add(controller: AbortController): void {
    if (this.stopped) controller.abort(SERVER_STOPPING); // a call that arrived while the server was stopping
    else this.controllers.add(controller);
  }

  delete(controller: AbortController): void {
    this.controllers.delete(controller);
  }

  /** Abort every call in progress and any that arrives later, with SERVER_STOPPING. */
  abortAll(): void {
    this.stopped = true;
    for (const controller of this.controllers) controller.abort(SERVER_STOPPING);
    this.controllers.clear();
  }
}

function contextFor(call: AnyCall, method: string, live: LiveCalls): { ctx: CallContext; done: () => void } {
  const controller = new AbortController();
  (call as unknown as NodeJS.EventEmitter).on('cancelled', () => controller.abort(CALL_OVER));
  live.add(controller);
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(call.metadata.getMap())) metadata[k] = typeof v === 'string' ? v : v.toString('base64');
  const peerAddress = call.getPeer();
  const ctx: CallContext = { signal: controller.signal, peerAddress, method, metadata };
  const peer = decodePeer(peerAddress);
  if (peer) ctx.peer = peer;
  return { ctx, done: () => live.delete(controller) };
}

function streamContext<Res>(base: CallContext, call: grpc.ServerWritableStream<unknown, Res> | grpc.ServerDuplexStream<unknown, Res>): StreamContext<Res> {
  return {
    ...base,
    send: (message: Res) =>
      new Promise<void>((resolve, reject) => {
        if (base.signal.aborted) return reject(abortError());
        if (call.write(message)) return resolve();
        const onDrain = (): void => {
          base.signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          call.removeListener('drain', onDrain);
          reject(abortError());
        };
        call.once('drain', onDrain);
        base.signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Request messages, without destroying the call when the loop ends (a duplex must still send its status). They end
 * when the server stops, so a handler that only loops over its requests returns and its client is told UNAVAILABLE,
 * instead of the call hanging until the stop's grace period cuts the connection.
 */
function requestsOf(call: grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>, signal: AbortSignal): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator]: () => {
      const source = (call as unknown as Readable).iterator({ destroyOnReturn: false });
      /** Resolves the read in progress: one abort listener per iterator, none per message. */
      let settle: ((result: IteratorResult<unknown>) => void) | undefined;
      if (!signal.aborted) signal.addEventListener('abort', () => signal.reason === SERVER_STOPPING && settle?.(DONE), { once: true });
      const requests: AsyncIterableIterator<unknown> = {
        next: () => {
          if (signal.reason === SERVER_STOPPING) return Promise.resolve(DONE);
          return new Promise<IteratorResult<unknown>>((resolve, reject) => {
            settle = resolve;
            source.next().then(resolve, reject);
          });
        },
        return: (value?: unknown) => source.return!(value),
        [Symbol.asyncIterator]: () => requests,
      };
      return requests;
    },
  };
}

/**
 * End a streaming call once its handler settled (`failure` when it threw). The server stopping ends it UNAVAILABLE,
 * even when the handler returned; a cancelled call (client gone, deadline) needs nothing sent; otherwise OK, or the
 * error's status.
 */
function endStream(call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>, ctx: CallContext, log: Logger, failure?: { err: unknown }): void {
  if (ctx.signal.reason === SERVER_STOPPING || (failure && !ctx.signal.aborted)) call.emit('error', toServiceError(failure?.err, ctx.method, log, ctx.signal));
  else call.end();
}

function abortError(): Error {
  const e = new Error('the call was cancelled');
  e.name = 'AbortError';
  return e;
}

/** Turn one async handler into the grpc-js implementation for `def`. */
export function adaptHandler(def: grpc.MethodDefinition<unknown, unknown>, handler: AnyHandler, log: Logger, live: LiveCalls): grpc.UntypedHandleCall {
  const method = def.path;
  if (!def.requestStream && !def.responseStream) {
    return (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const { ctx, done } = contextFor(call, method, live);
      handler(call.request, ctx).then(
        (res) => callback(null, res),
        (err) => callback(toServiceError(err, method, log, ctx.signal)),
      ).finally(done);
    };
  }
  if (!def.requestStream && def.responseStream) {
    return (call: grpc.ServerWritableStream<unknown, unknown>) => {
      const { ctx, done } = contextFor(call, method, live);
      handler(call.request, streamContext(ctx, call)).then(
        () => endStream(call, ctx, log),
        (err) => endStream(call, ctx, log, { err }),
      ).finally(done);
    };
  }
  if (def.requestStream && !def.responseStream) {
    return (call: grpc.ServerReadableStream<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const { ctx, done } = contextFor(call, method, live);
      handler(requestsOf(call, ctx.signal), ctx).then(
        // the server's stop cut its requests short: whatever it made of the ones it read is no answer
        (res) => (ctx.signal.reason === SERVER_STOPPING ? callback(toServiceError(undefined, method, log, ctx.signal)) : callback(null, res)),
        (err) => callback(toServiceError(err, method, log, ctx.signal)),
      ).finally(done);
    };
  }
  return (call: grpc.ServerDuplexStream<unknown, unknown>) => {
    const { ctx, done } = contextFor(call, method, live);
    handler(requestsOf(call, ctx.signal), streamContext(ctx, call)).then(
      () => endStream(call, ctx, log),
      (err) => endStream(call, ctx, log, { err }),
    ).finally(done);
  };
}
