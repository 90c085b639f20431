// The fortros-keys server: the gRPC API over a real unix socket, attribution through an init stand-in
// (FixtureInitServer; black-box tests use the real fortros-init), status codes, health and readiness.
import { strict as assert } from 'node:assert';
import { hkdfSync } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeysV1 } from '@fortros/proto';
import { checkHealth, closeClient, createClient, listServicesByReflection, RpcCallError, StatusCode, unary } from '@fortros/rpc';
import { masterKeyPath } from '../src/crypto/master-key.js';
import { NODE_PATHS } from '@fortros/core';
import { InitServiceDirectory, toEntries } from '../src/server/init-directory.js';
import { zeroingKeysApi } from '../src/server/keys-api.js';
import { KeysDaemon, type KeysDaemonOptions } from '../src/server/keys-daemon.js';
import { FixtureInitServer, procStartTime } from './fixture-init-server.js';
import { OwnedProcesses, recordingLogger, tempDir } from './helpers.js';

function info(service: string, purpose: string, version: number, length: number): Buffer {
  const lp = (s: string): Buffer => {
    const b = Buffer.from(s);
    return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  };
  const tail = Buffer.alloc(6);
  tail.writeUInt32BE(version, 0);
  tail.writeUInt16BE(length, 4);
  return Buffer.concat([Buffer.from('fortros/key/v1'), lp(service), lp(purpose), tail]);
}

async function expectCode(promise: Promise<unknown>, code: StatusCode, pattern?: RegExp): Promise<RpcCallError> {
  const err = await promise.then(
    () => assert.fail(`expected ${StatusCode[code]}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof RpcCallError, String(err));
  assert.equal(StatusCode[err.code], StatusCode[code], err.details);
  if (pattern) assert.match(err.details, pattern);
  return err;
}

describe('fortros-keys server', () => {
  let root: { path: string; remove: () => Promise<void> };
  let init: FixtureInitServer;
  let daemon: KeysDaemon | undefined;
  let client: KeysV1.KeysClient | undefined;
  const logger = recordingLogger();
  const owned = new OwnedProcesses();
  let readyCalls = 0;

  function startDaemon(extra: Partial<KeysDaemonOptions> = {}): Promise<void> {
    daemon = new KeysDaemon(
      { root: root.path, socketPath: join(root.path, NODE_PATHS.keysSocket), initSocketPath: init.socketPath, ...extra },
      { logger, onReady: () => readyCalls++ },
    );
    return daemon.start();
  }
  function keys(): KeysV1.KeysClient {
    client ??= createClient<KeysV1.KeysClient>(KeysV1.loadKeysApi(), daemon!.address);
    return client;
  }

  beforeEach(async () => {
    root = await tempDir();
    logger.records.length = 0;
    readyCalls = 0;
    init = new FixtureInitServer(root.path, logger);
    await init.start();
  });
  afterEach(async () => {
    if (client) closeClient(client);
    client = undefined;
    await daemon?.stop();
    daemon = undefined;
    await init.stop();
    owned.killAll();
    await root.remove();
  });

  it('derives the §7 key for the attributed caller, signals readiness once, and never logs key bytes', async () => {
    init.services = [{ name: 'web', pid: process.pid }];
    await startDaemon();
    assert.equal(readyCalls, 1);
    assert.equal((await stat(daemon!.address)).mode & 0o777, 0o666, 'reachable by unprivileged callers');
    const res = await unary(keys(), 'deriveKey', { purpose: 'tls', length: 0, version: 0 });
    const master = await readFile(masterKeyPath(root.path));
    const expected = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info('web', 'tls', 1, 32), 32));
    assert.deepEqual(res.key, expected);
    assert.deepEqual([res.service, res.version, res.length, res.keyId.length], ['web', 1, 32, 16]);
    const v2 = await unary(keys(), 'deriveKey', { purpose: 'tls', length: 48, version: 2 });
    assert.deepEqual(v2.key, Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info('web', 'tls', 2, 48), 48)));

    assert.deepEqual(await unary(keys(), 'listPurposes', {}), { purposes: [], anyPurpose: true });
    const status = await unary(keys(), 'status', {});
    assert.equal(status.state, 'serving');
    assert.equal(status.masterKeyLoaded, true);
    assert.equal(status.masterKeyCreated, true);
    assert.equal(status.derivations, 2);
    assert.equal(await checkHealth(daemon!.address, KeysV1.KEYS_SERVICE), 'SERVING');
    assert.equal(await checkHealth(daemon!.address), 'SERVING');
    const names = await listServicesByReflection(daemon!.address);
    assert.ok(names.includes(KeysV1.KEYS_SERVICE) && names.includes('grpc.health.v1.Health'), names.join());

    const logged = JSON.stringify(logger.records);
    for (const secret of [master, expected, v2.key]) {
      assert.ok(!logged.includes(secret.toString('hex')) && !logged.includes(secret.toString('base64')), 'no key bytes in logs');
    }
  });

  it('refuses a caller that init does not supervise (UNAUTHENTICATED)', async () => {
    const child = owned.spawn('sleep', ['60']); // a supervised process that is not our ancestor
    init.services = [{ name: 'web', pid: child.pid! }];
    await startDaemon();
    await expectCode(unary(keys(), 'deriveKey', { purpose: 'tls' }), StatusCode.UNAUTHENTICATED, /does not descend from a service/);
    await expectCode(unary(keys(), 'listPurposes', {}), StatusCode.UNAUTHENTICATED);
    assert.equal((await unary(keys(), 'status', {})).state, 'serving', 'Status holds no secret and needs no attribution');
    // a caller retrying in a loop: its first refusal is logged, the rest counted (and logged at most once an interval)
    for (let i = 0; i < 20; i++) await expectCode(unary(keys(), 'deriveKey', { purpose: 'tls' }), StatusCode.UNAUTHENTICATED);
    const refused = logger.records.filter((r) => r.msg === 'caller refused');
    assert.equal(refused.length, 1, '22 refusals, one line');
    assert.deepEqual([refused[0]!.fields['pid'], refused[0]!.fields['uid'], refused[0]!.fields['suppressed']], [process.pid, process.getuid!(), 0]);
    assert.match(String(refused[0]!.fields['reason']), /does not descend from a service/);
    await daemon!.stop();
    const summary = logger.records.filter((r) => r.msg === 'caller refusals suppressed');
    assert.deepEqual(summary.map((r) => [r.fields['pid'], r.fields['suppressed']]), [[process.pid, 21]], 'the count is logged at stop');
  });

  it('refuses a reused pid: the start time init recorded is not the process now holding the pid (UNAUTHENTICATED)', async () => {
    init.services = [{ name: 'web', pid: process.pid, pidStartTime: procStartTime(process.pid) + 1 }];
    await startDaemon();
    await expectCode(unary(keys(), 'deriveKey', { purpose: 'tls' }), StatusCode.UNAUTHENTICATED, /pid reused/);
  });

  it('maps policy, argument and rate errors to PERMISSION_DENIED, INVALID_ARGUMENT and RESOURCE_EXHAUSTED', async () => {
    init.services = [{ name: 'web', pid: process.pid }];
    const policyFile = join(root.path, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ services: { web: { purposes: ['db'] } } }));
    await startDaemon({ policyFile, rateLimit: { ratePerSec: 0.001, burst: 3 } });
    await unary(keys(), 'deriveKey', { purpose: 'db' });
    assert.deepEqual(await unary(keys(), 'listPurposes', {}), { purposes: ['db'], anyPurpose: false });
    await expectCode(unary(keys(), 'deriveKey', { purpose: 'tls' }), StatusCode.PERMISSION_DENIED, /may not derive purpose "tls"/);
    const denied = logger.records.filter((r) => r.msg === 'caller refused');
    assert.deepEqual(denied.map((r) => [r.fields['pid'], String(r.fields['reason'])]), [[process.pid, 'service web may not derive purpose "tls" (policy ' + policyFile + ')']], 'a denied purpose is logged as a refusal of the caller');
    await expectCode(unary(keys(), 'deriveKey', { purpose: 'db', length: 8 }), StatusCode.INVALID_ARGUMENT);
    await expectCode(unary(keys(), 'deriveKey', { purpose: 'db' }), StatusCode.RESOURCE_EXHAUSTED, /rate limit/);
  });

  it('answers UNAVAILABLE when init cannot be asked who the caller is', async () => {
    init.services = [{ name: 'web', pid: process.pid }];
    init.failing = true;
    await startDaemon();
    await expectCode(unary(keys(), 'deriveKey', { purpose: 'tls' }), StatusCode.UNAVAILABLE, /fortros-init/);
  });

  it('with a master.key of mode 0644: NOT_SERVING, UNAVAILABLE, the file untouched, no readiness; fixed and retried: ready', async () => {
    init.services = [{ name: 'web', pid: process.pid }];
    const path = masterKeyPath(root.path);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const original = Buffer.alloc(32, 7);
    await writeFile(path, original, { mode: 0o644 });
    await chmod(path, 0o644);
    await startDaemon();
    assert.equal(readyCalls, 0, 'not ready without a usable key');
    assert.equal(await checkHealth(daemon!.address, KeysV1.KEYS_SERVICE), 'NOT_SERVING');
    assert.equal(await checkHealth(daemon!.address), 'NOT_SERVING');
    await expectCode(unary(keys(), 'deriveKey', { purpose: 'tls' }), StatusCode.UNAVAILABLE);
    const status = await unary(keys(), 'status', {});
    assert.equal(status.state, 'not-serving');
    assert.match(status.reason, /mode 0644 is too open.*chmod 600/);
    assert.deepEqual(await readFile(path), original);
    assert.equal((await stat(path)).mode & 0o777, 0o644, 'never silently fixed or replaced');

    await daemon!.retryMasterKey(); // still refused: still not ready
    assert.equal(readyCalls, 0);
    await chmod(path, 0o600);
    await daemon!.retryMasterKey();
    assert.equal(readyCalls, 1);
    assert.equal(await checkHealth(daemon!.address, KeysV1.KEYS_SERVICE), 'SERVING');
    const res = await unary(keys(), 'deriveKey', { purpose: 'tls' });
    assert.deepEqual(res.key, Buffer.from(hkdfSync('sha256', original, Buffer.alloc(0), info('web', 'tls', 1, 32), 32)));
  });

  it('stops cleanly: idempotent, socket removed, health follows', async () => {
    await startDaemon();
    const address = daemon!.address;
    await daemon!.stop();
    await daemon!.stop();
    await assert.rejects(stat(address), /ENOENT/);
  });
});

describe('DeriveKey response hygiene', () => {
  it('zeroes the key buffer once the response is serialised', () => {
    const api = zeroingKeysApi(KeysV1.loadKeysApi());
    const key = Buffer.alloc(32, 0xab);
    const wire = api.definition['DeriveKey']!.responseSerialize({ key, version: 1, keyId: 'x', length: 32, service: 'web' });
    assert.ok(wire.includes(Buffer.alloc(32, 0xab)), 'the wire bytes carry the key');
    assert.deepEqual(key, Buffer.alloc(32), 'our buffer is zero afterwards');
    assert.notEqual(api.definition, KeysV1.loadKeysApi().definition, 'the shared method table is not changed');
  });
});

describe('InitServiceDirectory', () => {
  it('turns ListServices into directory entries: services with a process, recorded start times, bounded', () => {
    const base = { type: 'SERVICE_TYPE_LONGRUN', state: 'SERVICE_STATE_READY' } as const;
    const entries = toEntries([
      { ...base, name: 'web', pid: 42, pidStartTime: 1234 },
      { ...base, name: 'idle', pid: 0, pidStartTime: 0 },
      { ...base, name: 'fresh', pid: 43, pidStartTime: 0 },
    ] as unknown as Parameters<typeof toEntries>[0]);
    assert.deepEqual(entries, [
      { kind: 'service', name: 'web', pid: 42, startTime: 1234 },
      { kind: 'service', name: 'fresh', pid: 43 },
    ]);
  });

  it('is UNAVAILABLE when init is not there, and refuses after close', async () => {
    const dir = new InitServiceDirectory('/nonexistent/init.sock', 500);
    await assert.rejects(dir.services(), (e: Error) => e.name === 'ServiceDirectoryUnavailableError' && /nonexistent/.test(e.message));
    dir.close();
    await assert.rejects(dir.services(), /closed/);
  });
});
