// DeriveKeys, the bulk stream: the same keys as DeriveKey, in request order, refusals per item, every request
// attributed (a reused pid ends the stream), flow control bounding what is in flight, cancel; and key custody.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { KeysV1 } from '@fortros/proto';
import { ProcFs, type ProcStat } from '@fortros/procfs';
import { bidiStream, closeClient, createClient, RpcCallError, StatusCode, unary } from '@fortros/rpc';
import { NODE_PATHS } from '@fortros/core';
import { KeyCustody } from '../src/server/key-custody.js';
import { zeroingKeysApi } from '../src/server/keys-api.js';
import { KeysDaemon, type KeysDaemonComponents, type KeysDaemonOptions } from '../src/server/keys-daemon.js';
import { FixtureInitServer } from './fixture-init-server.js';
import { recordingLogger, tempDir, waitFor } from './helpers.js';

type Request = KeysV1.DeriveKeyRequest;
type Response = KeysV1.DeriveKeysResponse__Output;

/** ProcFs whose reads of one pid report another start time once `reused` is set: that pid now "belongs to another process". */
class ReusableProcFs extends ProcFs {
  reused = false;
  constructor(private readonly pid: number) {
    super();
  }
  override stat(pid: number): ProcStat {
    const s = super.stat(pid);
    return this.reused && pid === this.pid ? { ...s, startTime: s.startTime + 1 } : s;
  }
}

describe('DeriveKeys stream', () => {
  let root: { path: string; remove: () => Promise<void> };
  let init: FixtureInitServer;
  let daemon: KeysDaemon | undefined;
  let client: KeysV1.KeysClient | undefined;
  const logger = recordingLogger();

  function startDaemon(extra: Partial<KeysDaemonOptions> = {}, components: Partial<KeysDaemonComponents> = {}): Promise<void> {
    daemon = new KeysDaemon({ root: root.path, socketPath: join(root.path, NODE_PATHS.keysSocket), initSocketPath: init.socketPath, ...extra }, { logger, ...components });
    return daemon.start();
  }
  function keys(): KeysV1.KeysClient {
    client ??= createClient<KeysV1.KeysClient>(KeysV1.loadKeysApi(), daemon!.address);
    return client;
  }
  /** Send every request, close our side, collect every response. */
  async function exchange(requests: Request[]): Promise<Response[]> {
    const call = bidiStream(keys(), 'deriveKeys');
    for (const r of requests) await call.send(r);
    call.end();
    const out: Response[] = [];
    for await (const m of call.messages) out.push(m);
    return out;
  }

  beforeEach(async () => {
    root = await tempDir();
    logger.records.length = 0;
    init = new FixtureInitServer(root.path, logger);
    init.services = [{ name: 'web', pid: process.pid }];
    await init.start();
  });
  afterEach(async () => {
    if (client) closeClient(client);
    client = undefined;
    await daemon?.stop();
    daemon = undefined;
    await init.stop();
    await root.remove();
  });

  it('answers each request, in request order, with the key DeriveKey gives for the same parameters', async () => {
    await startDaemon();
    const requests: Request[] = [{ purpose: 'tls' }, { purpose: 'tls', length: 48, version: 2 }, { purpose: '', length: 0, version: 0 }, { purpose: 'db', length: 16 }];
    const streamed = await exchange(requests);
    assert.deepEqual(streamed.map((r) => [r.index, r.result]), requests.map((_, i) => [i, 'key']));
    for (const [i, request] of requests.entries()) {
      const single = await unary(keys(), 'deriveKey', request);
      assert.deepEqual(streamed[i]!.key, single, `request ${i}`);
    }
    assert.deepEqual(streamed[2]!.key && [streamed[2].key.service, streamed[2].key.version, streamed[2].key.length], ['web', 1, 32]);
    assert.equal((await unary(keys(), 'status', {})).derivations, 2 * requests.length);
    const logged = JSON.stringify(logger.records);
    for (const r of streamed) assert.ok(!logged.includes(Buffer.from(r.key!.key).toString('hex')), 'no key bytes in logs');
  });

  it('refuses a request in its own item (policy, argument, rate limit) and goes on with the next', async () => {
    const policyFile = join(root.path, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ services: { web: { purposes: ['db'] } } }));
    await startDaemon({ policyFile, rateLimit: { ratePerSec: 0.001, burst: 4 } }); // every request spends a token
    const out = await exchange([{ purpose: 'db' }, { purpose: 'tls' }, { purpose: 'db', length: 8 }, { purpose: 'db', version: 3 }, { purpose: 'db' }]);
    assert.deepEqual(
      out.map((r) => (r.key ? 'key' : StatusCode[r.error!.code])),
      ['key', 'PERMISSION_DENIED', 'INVALID_ARGUMENT', 'key', 'RESOURCE_EXHAUSTED'],
    );
    assert.match(out[1]!.error!.message, /may not derive purpose "tls"/);
    assert.match(out[2]!.error!.message, /length: expected/);
    assert.ok(out[4]!.error!.retryAfterMs > 0, 'a rate-limited item says when to retry');
    assert.equal(out[1]!.error!.retryAfterMs, 0);
    assert.deepEqual(out.map((r) => r.index), [0, 1, 2, 3, 4]);
  });

  it('attributes every request: once the connection\'s pid names another process, the stream ends UNAUTHENTICATED', async () => {
    const proc = new ReusableProcFs(process.pid);
    await startDaemon({}, { proc });
    const call = bidiStream(keys(), 'deriveKeys');
    const messages = call.messages[Symbol.asyncIterator]();
    await call.send({ purpose: 'tls' });
    assert.equal((await messages.next()).value?.result, 'key');
    proc.reused = true; // the same connection, but its pid now names another process
    await call.send({ purpose: 'tls' });
    await assert.rejects(messages.next(), (err: unknown) => {
      assert.ok(err instanceof RpcCallError, String(err));
      assert.equal(StatusCode[err.code], 'UNAUTHENTICATED');
      assert.match(err.details, /pid was reused/);
      return true;
    });
    assert.equal((await unary(keys(), 'status', {})).derivations, 1);
  });

  it('ends the stream UNAUTHENTICATED for a caller that init does not supervise', async () => {
    init.services = [{ name: 'web', pid: 0x3ffffff0, pidStartTime: 1 }]; // not our ancestor
    await startDaemon();
    await assert.rejects(exchange([{ purpose: 'tls' }]), (err: RpcCallError) => StatusCode[err.code] === 'UNAUTHENTICATED' && /does not descend/.test(err.details));
  });

  it('stops reading requests while the client does not read responses (flow control bounds what is in flight)', async () => {
    await startDaemon();
    const total = 20_000;
    const call = bidiStream(keys(), 'deriveKeys');
    const messages = call.messages[Symbol.asyncIterator]();
    const sending = (async () => {
      for (let i = 0; i < total; i++) await call.send({ purpose: 'bulk' }); // waits while the transport is full
      call.end();
    })();
    // read one response, then none: (grpc-js's client buffers without bound until it is first read from)
    assert.equal((await messages.next()).value?.index, 0);
    let last = -1;
    const plateau = await waitFor('derivations to stop while nobody reads', async () => {
      await new Promise((r) => setTimeout(r, 200));
      const now = Number(daemon!.service.status().derivations);
      const settled = now === last ? now : undefined;
      last = now;
      return settled;
    }, 15_000);
    assert.ok(plateau < total / 4, `derived ${plateau} of ${total} while no response was read`);
    let n = 1;
    for (let m = await messages.next(); !m.done; m = await messages.next()) assert.equal(m.value.index, n++);
    assert.equal(n, total, 'every request answered once the client reads');
    await sending;
  });

  it('ends the handler when the client cancels', async () => {
    await startDaemon();
    const call = bidiStream(keys(), 'deriveKeys');
    const messages = call.messages[Symbol.asyncIterator]();
    await call.send({ purpose: 'tls' });
    assert.equal((await messages.next()).value?.result, 'key');
    call.cancel();
    await assert.rejects(messages.next(), (err: RpcCallError) => StatusCode[err.code] === 'CANCELLED');
    const ended = await waitFor('the handler to end', () => logger.records.find((r) => r.msg === 'derive stream ended'));
    assert.equal(ended.fields['requests'], 1);
  });
});

describe('key custody', () => {
  it('zeroes a key once its response is serialised, and forgets it', () => {
    const custody = new KeyCustody(new AbortController().signal);
    const key = custody.hold(Buffer.alloc(32, 0xab));
    assert.equal(custody.size, 1);
    const api = zeroingKeysApi(KeysV1.loadKeysApi());
    const wire = api.definition['DeriveKeys']!.responseSerialize({ index: 0, key: { key, version: 1, keyId: 'x', length: 32, service: 'web' } });
    assert.ok(wire.includes(Buffer.alloc(32, 0xab)), 'the wire bytes carry the key');
    assert.deepEqual(key, Buffer.alloc(32));
    assert.equal(custody.size, 0);
    api.definition['DeriveKeys']!.responseSerialize({ index: 1, error: { code: 7, message: 'no', retryAfterMs: 0 } }); // no key: fine
  });

  it('zeroes every key not yet serialised when the call ends, and refuses keys after that', () => {
    const ac = new AbortController();
    const custody = new KeyCustody(ac.signal);
    const a = custody.hold(Buffer.alloc(32, 1));
    const b = custody.hold(Buffer.alloc(32, 2));
    ac.abort();
    assert.deepEqual([a, b], [Buffer.alloc(32), Buffer.alloc(32)]);
    const late = Buffer.alloc(32, 3);
    assert.throws(() => custody.hold(late), { name: 'AbortError' });
    assert.deepEqual(late, Buffer.alloc(32), 'a key for a call already over is zeroed at once');
  });
});
