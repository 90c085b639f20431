// A server that stops tells the clients of its calls in flight UNAVAILABLE, naming the service; a client's own cancel does not.
import assert from 'node:assert/strict';
import type * as grpc from '@grpc/grpc-js';
import { bidiStream, RpcCallError, serverStream, StatusCode, unary } from '../src/index.js';
import type { Msg } from './fixtures/echo-server.js';
import { rejectsWith, startEcho, stopEcho, until, type EchoClient, type EchoEnv } from './helpers.js';

/** The details of a call the server's stop cut short. */
const STOPPING = /^fortros\.test\.v1\.Echo is stopping$/;

describe('calls in flight when the server stops', () => {
  let dir: string, sock: string, fixture: EchoEnv['fixture'], client: EchoClient;
  beforeEach(async () => void ({ dir, sock, fixture, client } = await startEcho()));
  afterEach(() => stopEcho({ dir, sock, fixture, client }));

  const failuresLogged = (): string[] => fixture.state.logs.filter((l) => /\blevel=(error|warn)\b/.test(l));

  it('a server stream whose handler returns once aborted ends UNAVAILABLE, not OK', async () => {
    const messages = serverStream(client, 'Watch', { text: 'stop' })[Symbol.asyncIterator]();
    assert.equal((await messages.next()).value?.text, 'stop');
    await until(() => fixture.state.entered.includes('watch:stop'));
    const stopping = fixture.server.stop();
    await rejectsWith(messages.next(), StatusCode.UNAVAILABLE, STOPPING);
    await stopping;
    assert.equal(fixture.state.reasons.get('watch:stop'), 'stopping');
    assert.deepEqual(failuresLogged(), []);
  });

  it('a server stream whose handler throws once aborted (a send refused) ends UNAVAILABLE', async () => {
    const got: number[] = [];
    const reading = (async () => {
      for await (const m of serverStream(client, 'Count', { text: 'x'.repeat(1000), n: 1_000_000 })) {
        got.push(Number(m.n));
        if (got.length === 10) void fixture.server.stop();
      }
    })();
    await rejectsWith(reading, StatusCode.UNAVAILABLE, STOPPING);
    assert.ok(got.length >= 10 && got.length < 1_000_000, `${got.length} messages`);
    assert.deepEqual(failuresLogged(), []);
  });

  it('a bidi stream ends UNAVAILABLE: its messages throw it, and a later send is refused with it', async () => {
    const call = bidiStream(client, 'Stall');
    await call.send({ text: 'stop' });
    await until(() => fixture.state.entered.includes('stall:stop'));
    const stopping = fixture.server.stop();
    await rejectsWith((async () => { for await (const _ of call.messages) { /* none */ } })(), StatusCode.UNAVAILABLE, STOPPING);
    await rejectsWith(call.send({ text: 'later' }), StatusCode.UNAVAILABLE, STOPPING);
    await stopping;
    assert.equal(fixture.state.reasons.get('stall:stop'), 'stopping');
    assert.deepEqual(failuresLogged(), []);
  });

  it('a bidi stream whose handler only reads requests ends UNAVAILABLE', async () => {
    const chat = bidiStream(client, 'Chat');
    await chat.send({ text: 'a', n: 1 });
    const replies = chat.messages[Symbol.asyncIterator]();
    assert.equal((await replies.next()).value?.text, 'A');
    // its requests end, so it returns at once; before, it held the call until the stop's grace period cut it (CANCELLED)
    const stopping = fixture.server.stop();
    await rejectsWith(replies.next(), StatusCode.UNAVAILABLE, STOPPING);
    await stopping;
  });

  it('a client stream ends UNAVAILABLE, not with an answer made of the requests read so far', async () => {
    let sent!: (err: grpc.ServiceError | null, res?: Msg) => void;
    const answered = new Promise<Msg>((resolve, reject) => (sent = (err, res) => (err ? reject(new RpcCallError(err.code, err.details, 'Sum')) : resolve(res!))));
    const call = client.Sum((err, res) => sent(err, res));
    call.write({ text: 'a', n: 1 });
    call.write({ text: 'b', n: 2 });
    await until(() => fixture.state.entered.includes('sum:2'));
    const refused = rejectsWith(answered, StatusCode.UNAVAILABLE, STOPPING);
    await fixture.server.stop();
    await refused;
  });

  it('a unary call ends UNAVAILABLE', async () => {
    const refused = rejectsWith(unary(client, 'Hang', { text: 'stop' }, { timeoutMs: 0 }), StatusCode.UNAVAILABLE, STOPPING);
    await until(() => fixture.state.entered.includes('hang:stop'));
    await fixture.server.stop();
    await refused;
    assert.equal(fixture.state.reasons.get('hang:stop'), 'stopping');
    assert.deepEqual(failuresLogged(), []);
  });
});

describe('calls the client cancels', () => {
  let dir: string, sock: string, fixture: EchoEnv['fixture'], client: EchoClient;
  beforeEach(async () => void ({ dir, sock, fixture, client } = await startEcho()));
  afterEach(() => stopEcho({ dir, sock, fixture, client }));

  it('abort the handler signal as over (not stopping), and log no failure', async () => {
    const ac = new AbortController();
    const watch = serverStream(client, 'Watch', { text: 'cancel' }, { signal: ac.signal })[Symbol.asyncIterator]();
    await watch.next();
    await until(() => fixture.state.entered.includes('watch:cancel'));
    ac.abort();
    await rejectsWith(watch.next(), StatusCode.CANCELLED);
    await until(() => fixture.state.aborted.includes('watch:cancel'));
    assert.equal(fixture.state.reasons.get('watch:cancel'), 'over');

    const call = bidiStream(client, 'Stall');
    await call.send({ text: 'cancel' });
    await until(() => fixture.state.entered.includes('stall:cancel'));
    call.cancel();
    await rejectsWith((async () => { for await (const _ of call.messages) { /* none */ } })(), StatusCode.CANCELLED);
    await until(() => fixture.state.reasons.has('stall:cancel'));
    assert.equal(fixture.state.reasons.get('stall:cancel'), 'over');

    await rejectsWith(unary(client, 'Hang', { text: 'deadline' }, { timeoutMs: 100 }), StatusCode.DEADLINE_EXCEEDED);
    await until(() => fixture.state.aborted.includes('hang:deadline'));
    assert.equal(fixture.state.reasons.get('hang:deadline'), 'over');

    // the server goes on serving, and stopping it now tells nobody anything
    assert.deepEqual(await unary(client, 'Say', { text: 'still', n: 1 }), { text: 'still', n: 1 });
    await fixture.server.stop();
    assert.ok(fixture.state.logs.some((l) => l.includes('serving')), 'the server logs (in logfmt)');
    assert.deepEqual(fixture.state.logs.filter((l) => /\blevel=(error|warn)\b/.test(l)), []);
  });
});
