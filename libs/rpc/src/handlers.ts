// Plain async handlers (STYLE §13) and their adaptation to grpc-js call objects: abort on cancel, errors mapped once.
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@fortros/log';
import { decodePeer, type PeerCredentials } from './peer-cred.js';
import { toServiceError } from './status-map.js';

export interface CallContext {
  /**
   * Aborted when the client cancels, the deadline passes, or the server stops; and once the call is over, whatever
   * its outcome (grpc-js reports the end of every call as a cancel), so cleanup registered on it always runs.
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

/**
 * The reason of every call signal's abort. One shared instance: grpc-js ends every call with a cancel event, and a
 * fresh DOMException per call (a stack capture each) was a measurable share of a unary call's cost.
 */
const CALL_OVER = new DOMException('the call was cancelled or is over', 'AbortError');

/** The calls in progress on one server: all aborted at once when it stops (one set, not one stop listener per call). */
export class LiveCalls {
  private readonly controllers = new Set<AbortController>();
  private stopped = false;

  add(controller: AbortController): void {
    if (this.stopped) controller.abort(CALL_OVER); // a call that arrived while the server was stopping
    else this.controllers.add(controller);
  }

  delete(controller: AbortController): void {
    this.controllers.delete(controller);
  }

  /** Abort every call in progress and any that arrives later. */
  abortAll(): void {
    this.stopped = true;
    for (const controller of this.controllers) controller.abort(CALL_OVER);
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

/** Request messages without destroying the call when the loop ends (a duplex must still send its status). */
function requestsOf(call: grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>): AsyncIterable<unknown> {
  return { [Symbol.asyncIterator]: () => (call as unknown as import('node:stream').Readable).iterator({ destroyOnReturn: false }) };
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
        () => call.end(),
        (err) => (ctx.signal.aborted ? call.end() : call.emit('error', toServiceError(err, method, log, ctx.signal))),
      ).finally(done);
    };
  }
  if (def.requestStream && !def.responseStream) {
    return (call: grpc.ServerReadableStream<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const { ctx, done } = contextFor(call, method, live);
      handler(requestsOf(call), ctx).then(
        (res) => callback(null, res),
        (err) => callback(toServiceError(err, method, log, ctx.signal)),
      ).finally(done);
    };
  }
  return (call: grpc.ServerDuplexStream<unknown, unknown>) => {
    const { ctx, done } = contextFor(call, method, live);
    handler(requestsOf(call), streamContext(ctx, call)).then(
      () => call.end(),
      (err) => (ctx.signal.aborted ? call.end() : call.emit('error', toServiceError(err, method, log, ctx.signal))),
    ).finally(done);
  };
}
