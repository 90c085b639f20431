// KeyService: lifecycle and health, derive / listPurposes / status, errors by class, and no secrets in logs.
import { strict as assert } from 'node:assert';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createSecretKey, hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import type { Identity } from '../src/attribution/identity.js';
import { masterKeyPath } from '../src/crypto/master-key.js';
import {
  InvalidArgumentError,
  InvalidLengthError,
  MasterKeyUnavailableError,
  PermissionDeniedError,
  PolicyFileError,
  RateLimitedError,
} from '../src/errors.js';
import { KeyService, type Health } from '../src/service/key-service.js';
import { recordingLogger, tempDir } from './helpers.js';

const web: Identity = { kind: 'service', name: 'web', pid: 10 };
const api: Identity = { kind: 'service', name: 'api', pid: 11 };

function info(service: string, purpose: string, version: number, length: number): Buffer {
  const s = Buffer.from(service);
  const p = Buffer.from(purpose);
  const tail = Buffer.alloc(6);
  tail.writeUInt32BE(version, 0);
  tail.writeUInt16BE(length, 4);
  const lp = (b: Buffer): Buffer => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  return Buffer.concat([Buffer.from('fortros/key/v1'), lp(s), lp(p), tail]);
}

describe('KeyService', () => {
  let root: { path: string; remove: () => Promise<void> };
  let service: KeyService | undefined;
  const logger = recordingLogger();
  beforeEach(async () => {
    root = await tempDir();
    logger.records.length = 0;
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await root.remove();
  });

  it('creates the master key, serves, and derives the §7 key for the caller', async () => {
    service = new KeyService({ root: root.path }, { logger });
    const health: Health[] = [];
    service.on('health:changed', (h) => health.push(h));
    assert.equal(service.health, 'NOT_SERVING');
    await service.start();
    await service.start(); // idempotent
    assert.equal(service.health, 'SERVING');
    assert.deepEqual(health, ['SERVING']);

    const master = await readFile(masterKeyPath(root.path));
    const out = service.derive({ caller: web, purpose: 'tls' });
    const expected = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info('web', 'tls', 1, 32), 32));
    assert.deepEqual(out.key, expected);
    assert.equal(out.service, 'web');
    assert.equal(out.version, 1);
    assert.equal(out.length, 32);
    assert.match(out.keyId, /^[0-9a-f]{16}$/);

    const other = service.derive({ caller: api, purpose: 'tls' });
    assert.notDeepEqual(other.key, out.key, 'two services get different keys for one purpose');
    const job = service.derive({ caller: { kind: 'workload', name: 'web', pid: 12 }, purpose: 'tls', length: 64, version: 2 });
    assert.equal(job.service, 'workload.web', 'a workload named like a service gets its own keys');
    assert.notDeepEqual(job.key.subarray(0, 32), out.key);

    const status = service.status();
    assert.equal(status.state, 'serving');
    assert.equal(status.masterKeyLoaded, true);
    assert.equal(status.masterKeyCreated, true);
    assert.equal(status.derivations, 3n);
    assert.match(status.masterKeyFingerprint, /^[0-9a-f]{16}$/);
    assert.equal(status.reason, '');

    const text = JSON.stringify(logger.records) + JSON.stringify(status, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    for (const secret of [master, out.key, other.key, job.key]) {
      assert.ok(!text.includes(secret.toString('hex')) && !text.includes(secret.toString('base64')), 'no key bytes in logs or status');
    }
    assert.ok(logger.records.some((r) => r.msg === 'master key created' && r.fields.fingerprint === status.masterKeyFingerprint));
  });

  it('gives the same keys after a restart', async () => {
    service = new KeyService({ root: root.path }, { logger });
    await service.start();
    const before = service.derive({ caller: web, purpose: 'session' });
    await service.stop();
    await service.stop(); // idempotent
    assert.throws(() => service!.derive({ caller: web }), MasterKeyUnavailableError);
    const again = new KeyService({ root: root.path }, { logger });
    await again.start();
    const after = again.derive({ caller: web, purpose: 'session' });
    assert.deepEqual(after.key, before.key);
    assert.equal(again.status().masterKeyCreated, false);
    await again.stop();
  });

  it('with a too-open key file: stays up NOT_SERVING with the reason, refuses derive, recovers on retry', async () => {
    const first = new KeyService({ root: root.path }, { logger });
    await first.start();
    const fingerprint = first.status().masterKeyFingerprint;
    await first.stop();
    const path = masterKeyPath(root.path);
    const bytes = await readFile(path);
    await chmod(path, 0o644);

    service = new KeyService({ root: root.path }, { logger });
    const events: Array<[Health, string]> = [];
    service.on('health:changed', (h, reason) => events.push([h, reason]));
    await service.start();
    assert.equal(service.health, 'NOT_SERVING');
    const status = service.status();
    assert.equal(status.state, 'not-serving');
    assert.equal(status.masterKeyLoaded, false);
    assert.match(status.reason, /mode 0644 is too open; expected 0600 \(chmod 600 .*\)\..*The key was not replaced\./);
    assert.equal(events.length, 1);
    assert.equal(events[0]![0], 'NOT_SERVING');
    assert.throws(() => service!.derive({ caller: web }), (err: Error) => {
      assert.ok(err instanceof MasterKeyUnavailableError);
      assert.ok(!err.message.includes(path), 'the client message does not leak the path');
      return true;
    });
    assert.deepEqual(await readFile(path), bytes, 'the key was not replaced');

    await chmod(path, 0o600);
    await service.retryMasterKey();
    assert.equal(service.health, 'SERVING');
    assert.equal(service.status().masterKeyFingerprint, fingerprint);
  });

  it('maps each refusal to its class', async () => {
    const policyFile = join(root.path, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ default: 'deny', services: { web: { purposes: ['tls', 'session'] } } }));
    service = new KeyService({ root: root.path, policyFile, rateLimit: { ratePerSec: 1, burst: 3 } }, { logger });
    await service.start();
    assert.equal(service.status().policySource, policyFile);

    assert.throws(() => service!.derive({ caller: web, length: 8 }), (e: Error) => e instanceof InvalidLengthError && e instanceof InvalidArgumentError);
    assert.throws(() => service!.derive({ caller: web, purpose: 'db' }), (e: Error) => {
      assert.ok(e instanceof PermissionDeniedError);
      assert.match(e.message, /service web may not derive purpose "db"/);
      return true;
    });
    assert.throws(() => service!.derive({ caller: api, purpose: 'tls' }), PermissionDeniedError);
    assert.throws(() => service!.derive({ caller: { kind: 'service', name: 'Getty@tty1', pid: 3 } }), /cannot be a key subject/);
    assert.throws(() => service!.derive({ caller: { kind: 'service', name: 'workload.web', pid: 3 } }), PermissionDeniedError);
    // web has spent 2 of its 3 tokens on the refused requests above: one more derive, then the limit.
    assert.ok(service.derive({ caller: web, purpose: 'tls' }).key.length === 32);
    assert.throws(() => service!.derive({ caller: web, purpose: 'tls' }), (e: Error) => e instanceof RateLimitedError && e.retryAfterMs > 0);
    const status = service.status();
    assert.equal(status.denied, 2n);
    assert.equal(status.rateLimited, 1n);
    assert.equal(status.derivations, 1n);

    assert.deepEqual(service.listPurposes(web), { anyPurpose: false, purposes: ['session', 'tls'] });
    assert.deepEqual(service.listPurposes(api), { anyPurpose: false, purposes: [] });
  });

  it('lists any purpose under the built-in policy', async () => {
    service = new KeyService({ root: root.path }, { logger });
    await service.start();
    assert.deepEqual(service.listPurposes(web), { anyPurpose: true, purposes: [] });
    assert.deepEqual(service.listPurposes({ kind: 'workload', name: 'job', pid: 4, purposes: ['tls'] }), {
      anyPurpose: false,
      purposes: ['tls'],
    });
  });

  it('refuses to start with an invalid policy file', async () => {
    const policyFile = join(root.path, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ default: 'maybe' }));
    service = new KeyService({ root: root.path, policyFile }, { logger });
    await assert.rejects(service.start(), (e: Error) => e instanceof PolicyFileError && e.field === 'default');
    assert.equal(service.status().state, 'stopped');
  });

  it('uses an injected master key loader', async () => {
    const key = createSecretKey(Buffer.alloc(32, 1));
    service = new KeyService(
      { root: root.path },
      { logger, loadMasterKey: async (r) => ({ key, fingerprint: 'f'.repeat(16), path: r, created: false }) },
    );
    await service.start();
    const out = service.derive({ caller: web });
    const expected = Buffer.from(hkdfSync('sha256', Buffer.alloc(32, 1), Buffer.alloc(0), info('web', 'default', 1, 32), 32));
    assert.deepEqual(out.key, expected);
  });
});
