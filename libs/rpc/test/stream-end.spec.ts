// Streams that end while a send waits for the transport: the send is refused, on the client and on the server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { AbortedError, bidiStream, RpcCallError, serverStream, StatusCode, type BidiCall } from '../src/index.js';
import type { Msg } from './fixtures/echo-server.js';
import { rejectsWith, startEcho, stopEcho, until, type EchoClient, type EchoEnv } from './helpers.js';

/** One Stall message, in bytes: 64 of them (16 MiB) are far more than the server buffers and the HTTP/2 windows hold. */
const STALL_MESSAGE_BYTES = 256 * 1024;
const STALL_SENDS = 64;
/** How long a refused send may take once the call is over, in ms (it used to wait forever). */
const PROMPT_MS = 2_000;

/** The grpc-js calls the helpers open for `method` on `client`, recorded as they are made (to see their listeners). */
function recordCalls<M extends 'Chat' | 'Stall'>(client: EchoClient, method: M): grpc.ClientDuplexStream<Partial<Msg>, Msg>[] {
  const calls: grpc.ClientDuplexStream<Partial<Msg>, Msg>[] = [];
  const original = client[method].bind(client);
  client[method] = ((options?: grpc.CallOptions) => {
    const call = original(options);
    calls.push(call);
    return call;
  }) as EchoClient[M];
  return calls;
}

/** Settles with what `p` rejected with, or fails after PROMPT_MS (a send that hangs). */
async function refusal(p: Promise<void>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still pending ${PROMPT_MS} ms after the call ended`)), PROMPT_MS)));
  try {
    return await Promise.race([p.then(() => assert.fail('the send resolved, but the call is over')), late]);
  } catch (err) {
    return err;
  } finally {
    clearTimeout(timer);
  }
}

describe('a stream that ends while a send waits for the transport', () => {
  let dir: string, sock: string, fixture: EchoEnv['fixture'], client: EchoClient;
  beforeEach(async () => void ({ dir, sock, fixture, client } = await startEcho()));
  afterEach(() => stopEcho({ dir, sock, fixture, client }));

  /**
   * A Stall call labelled `label` whose server reads nothing more, and sends queued until they wait for the
   * transport: `waiting` are sends that have not resolved (the call's write buffer has not drained).
   */
  async function stalled(label: string, options: { signal?: AbortSignal } = {}): Promise<{ call: BidiCall<Partial<Msg>, Msg>; raw: grpc.ClientDuplexStream<Partial<Msg>, Msg>; waiting: Promise<void>[] }> {
    const calls = recordCalls(client, 'Stall');
    const call = bidiStream(client, 'Stall', options);
    await call.send({ text: label });
    await until(() => fixture.state.entered.includes(`stall:${label}`));
    const big = { text: 'x'.repeat(STALL_MESSAGE_BYTES) };
    const sends = Array.from({ length: STALL_SENDS }, () => call.send(big));
    for (const s of sends) s.catch(() => undefined); // asserted below; no unhandled rejection meanwhile
    const raw = calls[0]!;
    // write() returned false and no 'drain' has come since: the last sends are waiting for the transport
    assert.ok(raw.writableNeedDrain, 'the sends back up');
    return { call, raw, waiting: sends.slice(-STALL_SENDS / 2) };
  }

  async function assertAllRefused(waiting: Promise<void>[], check: (err: unknown) => void): Promise<void> {
    for (const err of await Promise.all(waiting.map(refusal))) check(err);
  }

  const isCode = (code: StatusCode) => (err: unknown) => {
    assert.ok(err instanceof RpcCallError, `expected RpcCallError, got ${String(err)}`);
    assert.equal(StatusCode[err.code], StatusCode[code]);
    assert.equal(err.method, 'Stall');
  };

  it('refuses a waiting send, and any later one, when the server ends the call with an error', async () => {
    const { call, raw, waiting } = await stalled('fail');
    assert.ok(raw.writableNeedDrain);
    fixture.state.stalls.get('fail')!('fail');
    await assertAllRefused(waiting, isCode(StatusCode.FAILED_PRECONDITION));
    await assertAllRefused([call.send({ text: 'later' })], isCode(StatusCode.FAILED_PRECONDITION));
    await rejectsWith((async () => { for await (const _ of call.messages) { /* none */ } })(), StatusCode.FAILED_PRECONDITION, /told to fail/);
  });

  it('refuses a waiting send when the server ends the call OK', async () => {
    const { call, raw, waiting } = await stalled('ok');
    assert.ok(raw.writableNeedDrain);
    fixture.state.stalls.get('ok')!('ok');
    // OK from the server, unless the transport reports the writes it could not finish first: refused either way
    const closed = (err: unknown): void => assert.ok(err instanceof AbortedError || err instanceof RpcCallError, `expected AbortedError or RpcCallError, got ${String(err)}`);
    await assertAllRefused(waiting, closed);
    await assertAllRefused([call.send({ text: 'later' })], closed);
  });

  it('refuses a waiting send when the client cancels, or its signal aborts', async () => {
    const cancelled = await stalled('cancel');
    assert.ok(cancelled.raw.writableNeedDrain);
    cancelled.call.cancel();
    await assertAllRefused(cancelled.waiting, isCode(StatusCode.CANCELLED));
    await assertAllRefused([cancelled.call.send({ text: 'later' })], isCode(StatusCode.CANCELLED));

    const ac = new AbortController();
    const aborted = await stalled('abort', { signal: ac.signal });
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    ac.abort();
    await assertAllRefused(aborted.waiting, isCode(StatusCode.CANCELLED));
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  });

  it('refuses a waiting send when the server stops', async () => {
    const { raw, waiting } = await stalled('stop');
    assert.ok(raw.writableNeedDrain);
    const stopping = fixture.server.stop();
    await assertAllRefused(waiting, isCode(StatusCode.UNAVAILABLE));
    await stopping;
  });

  it('refuses a send after end(), and resolves one that was waiting when end() was called', async () => {
    const calls = recordCalls(client, 'Chat');
    const chat = bidiStream(client, 'Chat');
    const replies = (async () => { let n = 0; for await (const _ of chat.messages) n++; return n; })();
    const sends = Array.from({ length: 64 }, (_, n) => chat.send({ text: 'x'.repeat(16 * 1024), n }));
    assert.ok(calls[0]!.writableNeedDrain, 'the last sends wait for the transport');
    chat.end();
    await Promise.all(sends);
    await assert.rejects(chat.send({ text: 'late' }), AbortedError);
    assert.equal(await replies, 64);
  });

  it('adds no listener per send: many sends through backpressure leave the same listeners', async () => {
    const calls = recordCalls(client, 'Chat');
    const ac = new AbortController();
    const chat = bidiStream(client, 'Chat', { signal: ac.signal });
    const raw = calls[0]!;
    const events = ['drain', 'finish', 'status', 'close', 'error'] as const;
    const counts = (): number[] => events.map((e) => raw.listenerCount(e));
    let replies = 0;
    const reading = (async () => { for await (const _ of chat.messages) replies++; })();
    await chat.send({ text: 'first', n: 0 });
    const before = counts();
    let waited = 0;
    for (let n = 1; n <= 2_000; n++) {
      const sent = chat.send({ text: 'y'.repeat(8 * 1024), n });
      if (raw.writableNeedDrain) waited++;
      await sent;
      if (n % 100 === 0) assert.deepEqual(counts(), before, `listeners after ${n} sends`);
    }
    assert.ok(waited > 0, 'some sends waited for the transport');
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    chat.end();
    await reading;
    assert.equal(replies, 2_001);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0, 'the abort listener goes with the call');
  });

  describe('server side: a send waiting for a client that stops reading', () => {
    it('is refused when the client cancels', async () => {
      const ac = new AbortController();
      const messages = serverStream(client, 'Flood', { text: 'cancel', n: 1_000_000 }, { signal: ac.signal })[Symbol.asyncIterator]();
      await messages.next();
      await until(() => fixture.state.entered.includes('flood:cancel'));
      ac.abort();
      await until(() => fixture.state.aborted.includes('flood:cancel:pending'));
      await messages.return(undefined);
    });

    it('is refused when the client process goes away', async () => {
      const script = fileURLToPath(new URL('./fixtures/flood-reader.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', script, sock, 'gone'], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        await until(() => out.includes('read') && fixture.state.entered.includes('flood:gone'), 15_000);
      } finally {
        child.kill('SIGKILL');
      }
      await until(() => fixture.state.aborted.includes('flood:gone:pending'));
    });

    it('is refused when the server stops', async () => {
      const messages = serverStream(client, 'Flood', { text: 'stop', n: 1_000_000 })[Symbol.asyncIterator]();
      await messages.next();
      await until(() => fixture.state.entered.includes('flood:stop'));
      await fixture.server.stop();
      await until(() => fixture.state.aborted.includes('flood:stop:pending'));
      await messages.return(undefined);
    });
  });
});
