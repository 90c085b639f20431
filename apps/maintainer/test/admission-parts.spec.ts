// Admission's parts on their own: the token codec, the proof and answer crypto, the failure limiter, the token store.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { answerMac, authKeyOf, issuerProof, joinerProof, newNonce, proofMatches, type Transcript } from '../src/admission/admission-crypto.js';
import { TokenExpiredError, TokenFileError, TokenFormatError, TokenOptionError, TokenUsedUpError, UnknownTokenError } from '../src/errors.js';
import { FailureLimiter, sourceOf } from '../src/admission/failure-limiter.js';
import { formatJoinToken, parseJoinToken } from '../src/admission/join-token.js';
import { TokenStore, TOKENS_DIR } from '../src/admission/token-store.js';
import { secretForms } from './admission-helpers.js';
import { withTempDir } from './org-helpers.js';

const PK_A = Buffer.alloc(32, 1).toString('base64');
const PK_B = Buffer.alloc(32, 2).toString('base64');


describe('admission: join token codec', () => {
  const token = { orgId: 'acme', address: '192.0.2.10:51821', id: '0123456789abcdef', secret: randomBytes(32) };

  it('formats one line with the version prefix and parses it back', () => {
    const text = formatJoinToken(token);
    assert.match(text, /^fortros-token-v1\/acme\/192\.0\.2\.10:51821\/0123456789abcdef\/[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(parseJoinToken(`  ${text}\n`), token);
    const v6 = { ...token, address: '[fd00::1]:7000' };
    assert.deepEqual(parseJoinToken(formatJoinToken(v6)), v6);
  });

  const good = formatJoinToken(token);
  const parts = good.split('/');
  const cases: Array<[string, string, RegExp]> = [
    ['too few fields', parts.slice(0, 4).join('/'), /shape: expected 5 fields/],
    ['another version', ['fortros-token-v2', ...parts.slice(1)].join('/'), /prefix: expected fortros-token-v1/],
    ['bad org id', [parts[0], 'Acme!', ...parts.slice(2)].join('/'), /org id:/],
    ['no port', [parts[0], parts[1], '192.0.2.10', ...parts.slice(3)].join('/'), /address: expected host:port/],
    ['port 0', [parts[0], parts[1], '192.0.2.10:0', ...parts.slice(3)].join('/'), /address: expected a port/],
    ['short id', [...parts.slice(0, 3), 'abc', parts[4]].join('/'), /token id: expected 16 lowercase hex/],
    ['short secret', [...parts.slice(0, 4), parts[4]!.slice(0, 20)].join('/'), /secret: expected 43 base64url/],
    ['too long', `${good}${'x'.repeat(600)}`, /length: expected at most/],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what}, naming the field and not echoing the secret`, () => {
      assert.throws(() => parseJoinToken(text), (err: Error) => {
        assert.ok(err instanceof TokenFormatError);
        assert.match(err.message, message);
        for (const form of secretForms(token.secret)) assert.ok(!err.message.includes(form.slice(0, 20)));
        return true;
      });
    });
  }
});

describe('admission: proofs and the answer MAC', () => {
  const secret = randomBytes(32);
  const key = authKeyOf(secret);
  const t: Transcript = { tokenId: '0123456789abcdef', joinerNonce: newNonce(), issuerNonce: newNonce(), joinerPublicKey: PK_A, issuerPublicKey: PK_B, joinerEndpoint: '192.0.2.7:51820' };

  it('uses a distinct label per direction, and binds every transcript field', () => {
    assert.ok(!proofMatches(issuerProof(key, t), joinerProof(key, t)));
    assert.ok(proofMatches(issuerProof(key, t), issuerProof(authKeyOf(Buffer.from(secret)), { ...t })));
    const variants: Transcript[] = [
      { ...t, tokenId: 'fedcba9876543210' },
      { ...t, joinerNonce: newNonce() },
      { ...t, issuerNonce: newNonce() },
      { ...t, joinerPublicKey: PK_B, issuerPublicKey: PK_A },
      { ...t, joinerEndpoint: '192.0.2.8:51820' },
    ];
    for (const v of variants) {
      assert.ok(!proofMatches(issuerProof(key, t), issuerProof(key, v)));
      assert.ok(!proofMatches(joinerProof(key, t), joinerProof(key, v)));
    }
    assert.ok(!proofMatches(issuerProof(key, t), issuerProof(authKeyOf(randomBytes(32)), t)));
    assert.ok(!proofMatches(issuerProof(key, t), issuerProof(key, t).subarray(1)));
  });

  it('authenticates every field of the answer', () => {
    const body = { orgId: 'acme', overlayRange: '10.42.0.0/16', overlayIp: '10.42.0.9', peers: [{ publicKey: PK_B, endpoint: '192.0.2.10:51820', overlayIp: '10.42.0.1' }] };
    const mac = answerMac(key, t, body);
    const altered = [
      { ...body, orgId: 'evil' },
      { ...body, overlayRange: '10.0.0.0/8' },
      { ...body, overlayIp: '10.42.0.10' },
      { ...body, peers: [] },
      { ...body, peers: [{ ...body.peers[0]!, endpoint: '203.0.113.1:51820' }] },
    ];
    for (const a of altered) assert.ok(!proofMatches(mac, answerMac(key, t, a)));
    assert.ok(!proofMatches(mac, answerMac(key, { ...t, issuerNonce: newNonce() }, body)));
  });
});

describe('admission: failure limiter', () => {
  it('blocks a source after its failures within the window, and only that source', () => {
    let now = 0;
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 1_000, maxSources: 2, now: () => now });
    for (let i = 0; i < 3; i++) {
      assert.equal(limiter.blocked('a'), false);
      limiter.recordFailure('a');
    }
    assert.equal(limiter.blocked('a'), true);
    assert.equal(limiter.blocked('b'), false);
    now = 1_001;
    assert.equal(limiter.blocked('a'), false, 'failures older than the window no longer count');
    limiter.recordFailure('a');
    limiter.recordFailure('b');
    limiter.recordFailure('c');
    assert.equal(limiter.size, 2, 'bounded: the least recently failed source is forgotten');
  });

  it('takes the host of grpc-js peer strings', () => {
    assert.equal(sourceOf('127.0.0.1:4567'), '127.0.0.1');
    assert.equal(sourceOf('[::1]:4567'), '::1');
    assert.equal(sourceOf('ipv4:10.0.0.1:80'), '10.0.0.1');
  });
});

describe('admission: token store', () => {
  it('stores tokens hashed (never the secret), 0600, durable across a reopen', () =>
    withTempDir(async (root) => {
      const store = await TokenStore.open({ root });
      const { token, info } = await store.create({ orgId: 'acme', address: '127.0.0.1:7000', ttlMs: 60_000, uses: 2 });
      const parsed = parseJoinToken(token);
      assert.equal(parsed.id, info.id);
      const dir = join(root, TOKENS_DIR);
      const files = await readdir(dir);
      assert.deepEqual(files, [`${info.id}.json`]);
      assert.equal((await stat(join(dir, files[0]!))).mode & 0o777, 0o600);
      const raw = await readFile(join(dir, files[0]!));
      for (const form of secretForms(parsed.secret).slice(0, 3)) assert.ok(!raw.includes(form), `the store holds the secret (${form.length} chars)`);
      assert.ok(!raw.includes(parsed.secret), 'the store holds the raw secret bytes');
      await store.consume(info.id);
      const reopened = await TokenStore.open({ root });
      assert.deepEqual(reopened.list(), [{ ...info, used: 1 }]);
      assert.deepEqual(reopened.usable(info.id).authKey, authKeyOf(parsed.secret));
    }));

  it('refuses unknown, expired and used-up tokens; a consume is atomic (one of two racing wins)', () =>
    withTempDir(async (root) => {
      let now = 1_000_000;
      const store = await TokenStore.open({ root, now: () => now });
      const { info } = await store.create({ orgId: 'acme', address: '127.0.0.1:7000', ttlMs: 5_000, uses: 1 });
      assert.throws(() => store.usable('ffffffffffffffff'), UnknownTokenError);
      const results = await Promise.allSettled([store.consume(info.id), store.consume(info.id)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.some((r) => r.status === 'rejected' && r.reason instanceof TokenUsedUpError));
      const { info: other } = await store.create({ orgId: 'acme', address: '127.0.0.1:7000', ttlMs: 5_000 });
      now += 5_000;
      assert.throws(() => store.usable(other.id), TokenExpiredError);
      await assert.rejects(store.consume(other.id), TokenExpiredError);
      assert.equal(await store.revoke(other.id), true);
      assert.throws(() => store.usable(other.id), UnknownTokenError);
      assert.equal((await TokenStore.open({ root })).list().length, 1);
    }));

  it('checks create options and record files, naming what is wrong', () =>
    withTempDir(async (root) => {
      const store = await TokenStore.open({ root });
      await assert.rejects(store.create({ orgId: 'acme', address: '127.0.0.1:7000', ttlMs: 10 }), (e: Error) => e instanceof TokenOptionError && /ttl: expected/.test(e.message));
      await assert.rejects(store.create({ orgId: 'acme', address: '127.0.0.1:7000', uses: 0 }), (e: Error) => e instanceof TokenOptionError && /uses: expected/.test(e.message));
      await assert.rejects(store.create({ orgId: '', address: '127.0.0.1:7000' }), (e: Error) => e instanceof TokenOptionError && /org id/.test(e.message));
      await assert.rejects(store.create({ orgId: 'acme', address: 'nowhere' }), (e: Error) => e instanceof TokenOptionError && /address/.test(e.message));
      const { info } = await store.create({ orgId: 'acme', address: '127.0.0.1:7000' });
      const file = join(root, TOKENS_DIR, `${info.id}.json`);
      const o = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...o, used: -1 }));
      await assert.rejects(TokenStore.open({ root }), (e: Error) => e instanceof TokenFileError && e.message.includes(file) && /used: expected/.test(e.message));
      await writeFile(file, '{not json');
      await assert.rejects(TokenStore.open({ root }), (e: Error) => e instanceof TokenFileError && /not valid JSON/.test(e.message));
    }));
});
