// Admission over real gRPC on loopback TCP: joins admitted and refused, fake issuers caught, nothing secret leaked.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdmissionV1 } from '@fortros/proto';
import { RpcCallError, StatusCode } from '@fortros/rpc';
import { answerMac, authKeyOf, issuerProof, newNonce, type Transcript } from '../src/admission/admission-crypto.js';
import { AnswerForgedError, FakeIssuerError, JoinRefusedError, type RefusalReason } from '../src/errors.js';
import { joinWithToken } from '../src/admission/join-client.js';
import { formatJoinToken, parseJoinToken } from '../src/admission/join-token.js';
import { TOKENS_DIR } from '../src/admission/token-store.js';
import { CapturingProxy, drain, GRANT_RANGE, newPublicKey, rawJoin, secretForms, startFakeIssuer, startIssuer, type IssuerFixture } from './admission-helpers.js';

const until = async (cond: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const ENDPOINT = '127.0.0.1:51999';
const joiner = (): { publicKey: string; endpoint: string } => ({ publicKey: newPublicKey(), endpoint: ENDPOINT });
const refusedFor = (reason: RefusalReason) => (err: unknown) => err instanceof JoinRefusedError && err.reason === reason;

describe('admission over gRPC (loopback TCP)', function () {
  let root: string;
  let fx: IssuerFixture;
  /** Every token handed out: no secret of theirs may show up in a log line or a token file. */
  let tokens: string[];
  const extra: Array<{ stop(): Promise<void> }> = [];

  const token = async (o?: { ttlMs?: number; uses?: number }): Promise<string> => {
    const t = await fx.token(o);
    tokens.push(t);
    return t;
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ad-'));
    fx = await startIssuer(root, 2_000);
    tokens = [];
  });

  afterEach(async () => {
    const files = await readdir(join(root, TOKENS_DIR));
    const stored = Buffer.concat(await Promise.all(files.map((f) => readFile(join(root, TOKENS_DIR, f)))));
    const logs = fx.lines.join('\n');
    for (const t of tokens) {
      const { secret } = parseJoinToken(t);
      for (const form of secretForms(secret)) assert.ok(!logs.includes(form), 'a log line holds the secret, its auth key or its hash');
      for (const form of secretForms(secret).slice(0, 3)) assert.ok(!stored.includes(form), 'a token file holds the secret');
      assert.ok(!logs.includes(t));
    }
    for (const s of extra.splice(0)) await s.stop();
    await fx.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('admits a node with a good token: the answer gives its address and peers, the issuer records it', async () => {
    const me = joiner();
    const result = await joinWithToken(await token(), me);
    assert.equal(result.orgId, 'acme');
    assert.equal(result.overlayRange, GRANT_RANGE);
    assert.equal(result.overlayIp, '10.42.1.1');
    assert.deepEqual(result.peers, [{ publicKey: fx.publicKey, endpoint: '127.0.0.1:51820', overlayIp: '10.42.0.1' }]);
    assert.equal(result.issuerPublicKey, fx.publicKey);
    assert.equal(fx.admitted.length, 1);
    assert.equal(fx.admitted[0]!.publicKey, me.publicKey);
    assert.equal(fx.admitted[0]!.endpoint, ENDPOINT);
    assert.equal(fx.store.list()[0]!.used, 1);
    assert.equal(fx.issuer.counters.admitted, 1);
    assert.ok(fx.lines.some((l) => l.includes('node admitted')));
  });

  it('keeps tokens and their use counts across an issuer restart (store reopened)', async () => {
    const t = parseJoinToken(await token({ uses: 2 }));
    await joinWithToken(formatJoinToken(t), joiner());
    await fx.stop();
    const before = fx.lines;
    fx = await startIssuer(root, 2_000);
    fx.lines.unshift(...before);
    assert.deepEqual(fx.store.list().map((i) => i.used), [1]);
    await joinWithToken({ ...t, address: fx.address }, joiner());
    await assert.rejects(joinWithToken({ ...t, address: fx.address }, joiner()), refusedFor('used-up'));
  });

  it('refuses an unknown token id', async () => {
    const t = parseJoinToken(await token());
    await assert.rejects(joinWithToken({ ...t, id: 'ffffffffffffffff' }, joiner()), refusedFor('unknown-token'));
    assert.equal(fx.issuer.counters.refused['unknown-token'], 1);
    assert.ok(fx.lines.some((l) => l.includes('join refused') && l.includes('unknown-token')));
  });

  it('refuses an expired token', async () => {
    const t = await token({ ttlMs: 60_000 });
    fx.clock.now += 60_000;
    await assert.rejects(joinWithToken(t, joiner()), refusedFor('expired'));
    assert.equal(fx.admitted.length, 0);
  });

  it('refuses a used-up token (uses=1 used twice), and of racing joins only one wins', async () => {
    const once = await token({ uses: 1 });
    await joinWithToken(once, joiner());
    await assert.rejects(joinWithToken(once, joiner()), refusedFor('used-up'));
    const raced = await token({ uses: 1 });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => joinWithToken(raced, joiner())));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(refusedFor('used-up')(r.reason), String(r.reason));
    assert.equal(fx.admitted.length, 2);
  });

  it('refuses a joiner whose proof is wrong (UNAUTHENTICATED, reason bad-proof), consuming nothing', async () => {
    const t = parseJoinToken(await token());
    const { call, done } = rawJoin(fx.address);
    try {
      await call.send({ hello: { tokenId: t.id, nonce: newNonce(), publicKey: newPublicKey(), endpoint: ENDPOINT } });
      const it = call.messages[Symbol.asyncIterator]();
      assert.equal((await it.next()).value?.step, 'challenge');
      await call.send({ proof: { proof: randomBytes(32) } });
      const rest = await drain({ [Symbol.asyncIterator]: () => it });
      assert.equal(rest.messages[0]?.refusal?.reason, 'REFUSAL_REASON_BAD_PROOF');
      assert.ok(rest.error instanceof RpcCallError && rest.error.code === StatusCode.UNAUTHENTICATED);
    } finally {
      done();
    }
    assert.equal(fx.store.list()[0]!.used, 0);
    assert.equal(fx.issuer.counters.refused['bad-proof'], 1);
  });

  it('a joiner with the wrong secret cannot verify the issuer, and stops before proving anything', async () => {
    const t = parseJoinToken(await token());
    await assert.rejects(joinWithToken({ ...t, secret: randomBytes(32) }, joiner()), FakeIssuerError);
    assert.equal(fx.store.list()[0]!.used, 0);
    await until(() => fx.issuer.counters.abandoned === 1, 'the issuer to count the abandoned join as a failure');
    assert.ok(fx.lines.some((l) => l.includes('join abandoned after the challenge')));
  });

  it('detects a fake issuer (knows the token id, not the secret) and never sends it a proof', async () => {
    const t = parseJoinToken(await token());
    const seen: string[] = [];
    const fake = await startFakeIssuer(async (requests, ctx) => {
      for await (const r of requests) {
        seen.push(r.step ?? '');
        if (r.step === 'hello') await ctx.send({ challenge: { nonce: newNonce(), publicKey: newPublicKey(), proof: randomBytes(32) } });
      }
    });
    extra.push(fake);
    await assert.rejects(joinWithToken({ ...t, address: fake.address }, joiner()), FakeIssuerError);
    await fake.stop();
    assert.deepEqual(seen, ['hello']);
  });

  it('detects an answer altered in transit (bad MAC)', async () => {
    const t = parseJoinToken(await token());
    const key = authKeyOf(t.secret);
    const fake = await startFakeIssuer(async (requests, ctx) => {
      let tr: Transcript | undefined;
      for await (const r of requests) {
        if (r.step === 'hello' && r.hello) {
          tr = { tokenId: r.hello.tokenId, joinerNonce: r.hello.nonce, issuerNonce: newNonce(), joinerPublicKey: r.hello.publicKey, issuerPublicKey: fx.publicKey, joinerEndpoint: r.hello.endpoint };
          await ctx.send({ challenge: { nonce: tr.issuerNonce, publicKey: tr.issuerPublicKey, proof: issuerProof(key, tr) } });
        } else if (tr) {
          const body = { orgId: 'acme', overlayRange: GRANT_RANGE, overlayIp: '10.42.9.9', peers: [] };
          await ctx.send({ answer: { ...body, overlayIp: '10.42.6.6', mac: answerMac(key, tr, body) } }); // altered after the MAC
          return;
        }
      }
    });
    extra.push(fake);
    await assert.rejects(joinWithToken({ ...t, address: fake.address }, joiner()), AnswerForgedError);
  });

  it('a passive listener sees neither the secret, nor its auth key, nor its hash', async () => {
    const t = parseJoinToken(await token());
    const proxy = new CapturingProxy(fx.address);
    await proxy.start();
    extra.push(proxy);
    const me = joiner();
    await joinWithToken(formatJoinToken({ ...t, address: proxy.address }), me);
    const wire = proxy.captured();
    assert.ok(wire.includes(me.publicKey) && wire.includes('10.42.1.1'), 'the proxy captured the exchange');
    for (const form of secretForms(t.secret)) assert.ok(!wire.includes(form));
    for (const raw of [t.secret, authKeyOf(t.secret)]) assert.ok(!wire.includes(raw), 'raw key bytes on the wire');
  });

  it('ends a stream whose first message is not a hello with INVALID_ARGUMENT, and counts it', async () => {
    const { call, done } = rawJoin(fx.address);
    try {
      await call.send({ proof: { proof: randomBytes(32) } });
      const { error } = await drain(call.messages);
      assert.ok(error instanceof RpcCallError && error.code === StatusCode.INVALID_ARGUMENT, String(error));
    } finally {
      done();
    }
    assert.equal(fx.issuer.counters.malformed, 1);
  });

  it('refuses an oversized message at the transport (bounded messages)', async () => {
    const { call, done } = rawJoin(fx.address);
    try {
      await call.send({ hello: { tokenId: '0123456789abcdef', nonce: newNonce(), publicKey: newPublicKey(), endpoint: 'x'.repeat(64 * 1024) } });
      const { error } = await drain(call.messages);
      assert.ok(error instanceof RpcCallError && error.code === StatusCode.RESOURCE_EXHAUSTED, String(error));
    } finally {
      done();
    }
  });

  it('ends a join whose proof does not come in time (DEADLINE_EXCEEDED), and counts it', async () => {
    const t = parseJoinToken(await token());
    const { call, done } = rawJoin(fx.address);
    try {
      await call.send({ hello: { tokenId: t.id, nonce: newNonce(), publicKey: newPublicKey(), endpoint: ENDPOINT } });
      const { messages, error } = await drain<AdmissionV1.JoinResponse__Output>(call.messages);
      assert.equal(messages[0]?.step, 'challenge');
      assert.ok(error instanceof RpcCallError && error.code === StatusCode.DEADLINE_EXCEEDED, String(error));
    } finally {
      done();
    }
    assert.equal(fx.issuer.counters.timeouts, 1);
  });

  it('rate-limits failures per source: the failing source is refused even with a good token, another still joins', async () => {
    const t = parseJoinToken(await token({ uses: 2 }));
    for (let i = 0; i < 5; i++) await assert.rejects(joinWithToken({ ...t, id: `${'f'.repeat(15)}${i}` }, joiner()), refusedFor('unknown-token'));
    await assert.rejects(joinWithToken(t, joiner()), refusedFor('rate-limited'));
    const other = new CapturingProxy(fx.address, '127.0.0.2');
    await other.start();
    extra.push(other);
    const result = await joinWithToken({ ...t, address: other.address }, joiner());
    assert.equal(result.orgId, 'acme');
    assert.equal(fx.admitted[0]!.source, '127.0.0.2');
    assert.equal(fx.issuer.counters.refused['rate-limited'], 1);
  });
});
