// Test helpers: the Echo client's type, polling with a deadline, and status assertions.
import assert from 'node:assert/strict';
import type * as grpc from '@grpc/grpc-js';
import { RpcCallError, StatusCode } from '../src/index.js';
import type { Msg } from './fixtures/echo-server.js';

export type EchoClient = grpc.Client & {
  Say: (req: Partial<Msg>, cb: grpc.requestCallback<Msg>) => grpc.ClientUnaryCall;
  Fail: (req: Partial<Msg>, cb: grpc.requestCallback<Msg>) => grpc.ClientUnaryCall;
  Hang: (req: Partial<Msg>, cb: grpc.requestCallback<Msg>) => grpc.ClientUnaryCall;
  Whoami: (req: Partial<Msg>, cb: grpc.requestCallback<Msg>) => grpc.ClientUnaryCall;
  Count: (req: Partial<Msg>, options?: grpc.CallOptions) => grpc.ClientReadableStream<Msg>;
  Flood: (req: Partial<Msg>, options?: grpc.CallOptions) => grpc.ClientReadableStream<Msg>;
  Chat: (options?: grpc.CallOptions) => grpc.ClientDuplexStream<Partial<Msg>, Msg>;
  Stall: (options?: grpc.CallOptions) => grpc.ClientDuplexStream<Partial<Msg>, Msg>;
};

/** Poll `cond` until it holds, or fail after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `p` rejects with an RpcCallError of `code` (and details matching `details`). */
export async function rejectsWith(p: Promise<unknown>, code: StatusCode, details?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RpcCallError, `expected RpcCallError, got ${String(err)}`);
    assert.equal(StatusCode[err.code], StatusCode[code]);
    if (details) assert.match(err.details, details);
    return true;
  });
}
