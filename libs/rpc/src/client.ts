// Client helpers: connect to a daemon's socket, call with a deadline and an AbortSignal, map failures to RpcCallError.
import * as grpc from '@grpc/grpc-js';
import type { LoadedApi } from '@fortros/proto';
import { DEFAULT_CALL_TIMEOUT_MS, MAX_MESSAGE_BYTES } from './constants.js';
import { AbortedError, RpcCallError } from './errors.js';
import { targetFor } from './target.js';

export interface CallOptions {
  /** Deadline from now; default DEFAULT_CALL_TIMEOUT_MS for unary calls, none for streams. 0 = none. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export { targetFor };

/** A generated client (e.g. InitV1.InitClient) connected to `address`. */
export function createClient<C extends grpc.Client>(api: LoadedApi, address: string): C {
  return new api.Client(targetFor(address), grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  }) as unknown as C;
}

export function closeClient(client: grpc.Client): void {
  client.close();
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type UnaryReq<F> = F extends (arg: infer Q, callback: grpc.requestCallback<any>) => grpc.ClientUnaryCall ? Q : never;
type UnaryRes<F> = F extends (arg: any, callback: grpc.requestCallback<infer R>) => grpc.ClientUnaryCall ? R : never;
type StreamReq<F> = F extends (arg: infer Q, options?: grpc.CallOptions) => grpc.ClientReadableStream<any> ? Q : never;
type StreamRes<F> = F extends (arg: any, options?: grpc.CallOptions) => grpc.ClientReadableStream<infer R> ? R : never;
type BidiReq<F> = F extends (options?: grpc.CallOptions) => grpc.ClientDuplexStream<infer Q, any> ? Q : never;
type BidiRes<F> = F extends (options?: grpc.CallOptions) => grpc.ClientDuplexStream<any, infer R> ? R : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

function deadlineOf(timeoutMs: number | undefined, fallback: number): grpc.CallOptions {
  const ms = timeoutMs ?? fallback;
  return ms > 0 ? { deadline: new Date(Date.now() + ms) } : {};
}

function callError(err: grpc.ServiceError, method: string): RpcCallError {
  return new RpcCallError(err.code ?? grpc.status.UNKNOWN, err.details ?? err.message, method);
}

/** One unary call: `await unary(client, 'getService', { name: 'web' }, { timeoutMs: 2000 })`. */
export function unary<C extends grpc.Client, M extends keyof C & string>(
  client: C,
  method: M,
  request: UnaryReq<C[M]>,
  options: CallOptions = {},
): Promise<UnaryRes<C[M]>> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new RpcCallError(grpc.status.CANCELLED, 'cancelled before the call', method));
    const fn = client[method] as unknown as (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<unknown>) => grpc.ClientUnaryCall;
    const onAbort = (): void => call.cancel();
    const call = fn.call(client, request, new grpc.Metadata(), deadlineOf(options.timeoutMs, DEFAULT_CALL_TIMEOUT_MS), (err, res) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (err) reject(callError(err, method));
      else resolve(res as UnaryRes<C[M]>);
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A server-streaming call as an async iterable; breaking out of the loop or aborting cancels the call. */
export async function* serverStream<C extends grpc.Client, M extends keyof C & string>(
  client: C,
  method: M,
  request: StreamReq<C[M]>,
  options: CallOptions = {},
): AsyncGenerator<StreamRes<C[M]>> {
  const fn = client[method] as unknown as (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions) => grpc.ClientReadableStream<unknown>;
  const call = fn.call(client, request, new grpc.Metadata(), deadlineOf(options.timeoutMs, 0));
  const onAbort = (): void => call.cancel();
  if (options.signal?.aborted) call.cancel(); // an aborted signal never fires 'abort' again
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const message of call) yield message as StreamRes<C[M]>;
  } catch (err) {
    throw callError(err as grpc.ServiceError, method);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    call.cancel();
  }
}

export interface BidiCall<Req, Res> {
  /**
   * Write one message; resolves when the transport can take more. Once the call is over (before or while this send
   * waits for the transport) it rejects: with the call's RpcCallError when it ended with a non-OK status (CANCELLED
   * after cancel() or an abort), else with AbortedError (the server ended it OK, or this side called end()).
   */
  send(message: Req): Promise<void>;
  /** No more messages from this side. */
  end(): void;
  cancel(): void;
  /** The server's messages; throws the call's RpcCallError on a non-OK status. Leaving the loop early cancels the call. */
  messages: AsyncIterable<Res>;
}

interface SendWaiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** A bidirectional stream. */
export function bidiStream<C extends grpc.Client, M extends keyof C & string>(client: C, method: M, options: CallOptions = {}): BidiCall<BidiReq<C[M]>, BidiRes<C[M]>> {
  const fn = client[method] as unknown as (md: grpc.Metadata, opts: grpc.CallOptions) => grpc.ClientDuplexStream<unknown, unknown>;
  const call = fn.call(client, new grpc.Metadata(), deadlineOf(options.timeoutMs, 0));
  /** Set once the call is over: what every later send rejects with. */
  let refusal: Error | undefined;
  /** The call's non-OK final status. */
  let failure: RpcCallError | undefined;
  /** Sends waiting for the transport: settled together by the call's listeners below (none added per send). */
  let waiting: SendWaiter[] = [];
  const settle = (err?: Error): void => {
    const settled = waiting;
    waiting = [];
    for (const w of settled) {
      if (err) w.reject(err);
      else w.resolve();
    }
  };
  const onAbort = (): void => call.cancel();
  const over = (err: Error): void => {
    refusal ??= err;
    options.signal?.removeEventListener('abort', onAbort);
    settle(refusal);
  };
  call.on('drain', () => settle());
  call.on('finish', () => settle()); // after end(), no 'drain': the last writes are flushed
  // grpc-js reports the end of every call, whatever ended it (either side, the deadline, the connection), as one status.
  call.on('status', (s: grpc.StatusObject) => {
    if (s.code !== grpc.status.OK) failure = new RpcCallError(s.code, s.details, method);
    over(failure ?? new AbortedError(`${method}: the call is over (ended with status OK); message not sent`));
  });
  // Destroyed before its status (the messages loop was left early): nothing will drain any more.
  call.on('close', () => over(new AbortedError(`${method}: the call is closed; message not sent`)));
  // A non-OK status is also emitted as 'error': readers get it through `messages`, senders through 'status'. Without
  // this listener, a call whose messages nobody reads would throw it as an uncaught exception.
  call.on('error', () => undefined);
  if (options.signal?.aborted) call.cancel();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  async function* messages(): AsyncGenerator<BidiRes<C[M]>> {
    try {
      for await (const m of call) yield m as BidiRes<C[M]>;
      // the status came before this loop read: its 'error' reached nobody, and the stream just ended
      if (failure) throw failure;
    } catch (err) {
      throw failure ?? callError(err as grpc.ServiceError, method);
    } finally {
      call.cancel(); // no-op once the status is in
    }
  }
  return {
    send: (message) => {
      if (refusal) return Promise.reject(refusal);
      if (call.writableEnded) return Promise.reject(new AbortedError(`${method}: send after end(); message not sent`));
      if (call.write(message)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    end: () => call.end(),
    cancel: () => call.cancel(),
    messages: messages(),
  };
}
