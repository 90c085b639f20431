// Test helpers: the Echo client's type, an Echo server per test, polling with a deadline, and status assertions.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { createClient, RpcCallError, StatusCode } from '../src/index.js';
import { echoApi, echoServer, type Msg } from './fixtures/echo-server.js';

export type EchoClient = grpc.Client & {
  Say: (req: Partial<Msg>, cb: grpc.requestCallback<Msg>) => grpc.ClientUnaryCall;
  Fail: (req: Partial<Msg>, cb: grpc.requestCallback<Msg>) => grpc.ClientUnaryCall;
  Hang: (req: Partial<Msg>, cb: grpc.requestCallback<Msg>) => grpc.ClientUnaryCall;
  Whoami: (req: Partial<Msg>, cb: grpc.requestCallback<Msg>) => grpc.ClientUnaryCall;
  Sum: (cb: grpc.requestCallback<Msg>) => grpc.ClientWritableStream<Partial<Msg>>;
  Count: (req: Partial<Msg>, options?: grpc.CallOptions) => grpc.ClientReadableStream<Msg>;
  Flood: (req: Partial<Msg>, options?: grpc.CallOptions) => grpc.ClientReadableStream<Msg>;
  Chat: (options?: grpc.CallOptions) => grpc.ClientDuplexStream<Partial<Msg>, Msg>;
  Stall: (options?: grpc.CallOptions) => grpc.ClientDuplexStream<Partial<Msg>, Msg>;
  Watch: (req: Partial<Msg>, options?: grpc.CallOptions) => grpc.ClientReadableStream<Msg>;
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

/** A started Echo server on a socket in a fresh temp directory, and a client of it. */
export interface EchoEnv {
  dir: string;
  sock: string;
  fixture: ReturnType<typeof echoServer>;
  client: EchoClient;
}

/** Starts an Echo server at `socketName` (a path relative to a new temp directory) and connects a client. */
export async function startEcho(socketName = 'echo.sock'): Promise<EchoEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'fortros-rpc-'));
  const sock = join(dir, socketName);
  const fixture = echoServer({ socketPath: sock });
  await fixture.server.start();
  return { dir, sock, fixture, client: createClient<EchoClient>(echoApi(), sock) };
}

/** Closes the client, stops the server and removes the directory. */
export async function stopEcho(env: EchoEnv): Promise<void> {
  env.client.close();
  await env.fixture.server.stop();
  await rm(env.dir, { recursive: true, force: true });
}
