// The §7 derivation: the info string byte by byte, keys against node's hkdfSync, defaults, bounds, key ids.
import { strict as assert } from 'node:assert';
import { createHash, createSecretKey, hkdfSync, randomBytes } from 'node:crypto';
import {
  deriveKey,
  encodeKeyInfo,
  extractMasterPrk,
  keyId,
  masterFingerprint,
  normalizeDeriveRequest,
} from '../src/crypto/derivation.js';
import { InvalidArgumentError, InvalidLengthError, InvalidPurposeError, InvalidVersionError } from '../src/errors.js';

/** The info string built independently of the implementation, one Buffer write at a time. */
function infoByHand(service: string, purpose: string, version: number, length: number): Buffer {
  const label = 'fortros/key/v1';
  const s = Buffer.from(service, 'utf8');
  const p = Buffer.from(purpose, 'utf8');
  const out = Buffer.alloc(label.length + 2 + s.length + 2 + p.length + 4 + 2);
  let o = 0;
  o += out.write(label, o, 'ascii');
  o = out.writeUInt16BE(s.length, o);
  o += s.copy(out, o);
  o = out.writeUInt16BE(p.length, o);
  o += p.copy(out, o);
  o = out.writeUInt32BE(version, o);
  o = out.writeUInt16BE(length, o);
  assert.equal(o, out.length);
  return out;
}

const master = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const masterKey = createSecretKey(master);
const prk = extractMasterPrk(masterKey);

describe('§7 key derivation', () => {
  it('encodes the info string exactly (pinned bytes)', () => {
    const info = encodeKeyInfo({ service: 'web', purpose: 'tls', version: 1, length: 32 });
    assert.equal(
      info.toString('hex'),
      Buffer.from('fortros/key/v1').toString('hex') + '0003' + '776562' + '0003' + '746c73' + '00000001' + '0020',
    );
    for (const [service, purpose, version, length] of [
      ['web', 'default', 1, 32],
      ['a', 'b.c-d_e', 0xffff_ffff, 64],
      ['x'.repeat(63), 'y'.repeat(63), 7, 16],
    ] as const) {
      assert.deepEqual(encodeKeyInfo({ service, purpose, version, length }), infoByHand(service, purpose, version, length));
    }
  });

  it('derives HKDF-SHA256(master, empty salt, info, L) as computed by node:crypto directly', () => {
    for (const [service, purpose, version, length] of [
      ['web', 'tls', 1, 32],
      ['maintainer', 'default', 3, 16],
      ['reconciler', 'session.v2', 0xffff_ffff, 64],
      ['workload.web', 'tls', 1, 48],
    ] as const) {
      const expected = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), infoByHand(service, purpose, version, length), length));
      const got = deriveKey(prk, { service, purpose, version, length });
      assert.equal(got.length, length);
      assert.equal(got.toString('hex'), expected.toString('hex'), `${service}/${purpose}/v${version}/${length}`);
    }
  });

  it('pins one known answer (so an accidental change of the scheme cannot pass unnoticed)', () => {
    // master = 00 01 … 1f; service web, purpose tls, version 1, length 32. Recompute offline with:
    // node -e "crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, 32)" (info as in infoByHand).
    const key = deriveKey(prk, { service: 'web', purpose: 'tls', version: 1, length: 32 });
    assert.equal(key.toString('hex'), '817bf6f6b2c4ddc094e31d493bc7331f0f984311264569ca76c7c229aa35e588');
  });

  it('gives two services different keys for the same purpose, and differs by purpose, version and length', () => {
    const base = { service: 'web', purpose: 'tls', version: 1, length: 32 };
    const keys = [
      deriveKey(prk, base),
      deriveKey(prk, { ...base, service: 'api' }),
      deriveKey(prk, { ...base, purpose: 'session' }),
      deriveKey(prk, { ...base, version: 2 }),
      deriveKey(prk, { ...base, length: 33 }).subarray(0, 32),
    ].map((k) => k.toString('hex'));
    assert.equal(new Set(keys).size, keys.length);
  });

  it('a different master key gives different keys', () => {
    const other = extractMasterPrk(createSecretKey(randomBytes(32)));
    const params = { service: 'web', purpose: 'tls', version: 1, length: 32 };
    assert.notDeepEqual(deriveKey(other, params), deriveKey(prk, params));
  });

  it('applies defaults: purpose "default", length 32, version 1 (undefined or proto3 zero values)', () => {
    assert.deepEqual(normalizeDeriveRequest({}), { purpose: 'default', length: 32, version: 1 });
    assert.deepEqual(normalizeDeriveRequest({ purpose: '', length: 0, version: 0 }), { purpose: 'default', length: 32, version: 1 });
    assert.deepEqual(normalizeDeriveRequest({ purpose: 'tls', length: 16, version: 9 }), { purpose: 'tls', length: 16, version: 9 });
  });

  it('refuses bad purposes, lengths and versions with InvalidArgumentError subclasses', () => {
    const bad: Array<[object, new (...a: never[]) => Error, RegExp]> = [
      [{ purpose: 'TLS' }, InvalidPurposeError, /purpose: expected a name matching .*, got "TLS"/],
      [{ purpose: '-x' }, InvalidPurposeError, /purpose/],
      [{ purpose: 'a/b' }, InvalidPurposeError, /purpose/],
      [{ purpose: 'x'.repeat(64) }, InvalidPurposeError, /purpose/],
      [{ purpose: 'é' }, InvalidPurposeError, /purpose/],
      [{ length: 15 }, InvalidLengthError, /length: expected an integer number of bytes in 16–64, got 15/],
      [{ length: 65 }, InvalidLengthError, /got 65/],
      [{ length: 20.5 }, InvalidLengthError, /got 20.5/],
      [{ version: -1 }, InvalidVersionError, /version: expected an integer in 1–4294967295, got -1/],
      [{ version: 2 ** 32 }, InvalidVersionError, /got 4294967296/],
    ];
    for (const [request, cls, message] of bad) {
      assert.throws(() => normalizeDeriveRequest(request), (err: Error) => {
        assert.ok(err instanceof cls, `${JSON.stringify(request)} → ${err.name}`);
        assert.ok(err instanceof InvalidArgumentError);
        assert.equal(err.name, cls.name);
        assert.match(err.message, message);
        return true;
      });
    }
  });

  it('keyId is the first 16 hex of SHA-256("fortros/key-id/v1" ‖ key), and never the key', () => {
    const key = deriveKey(prk, { service: 'web', purpose: 'tls', version: 1, length: 32 });
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from('fortros/key-id/v1'), key])).digest('hex').slice(0, 16);
    assert.equal(keyId(key), expected);
    assert.match(keyId(key), /^[0-9a-f]{16}$/);
    assert.ok(!key.toString('hex').includes(keyId(key)));
  });

  it('the master fingerprint is domain-separated and does not reveal the key', () => {
    const fp = masterFingerprint(masterKey);
    assert.match(fp, /^[0-9a-f]{16}$/);
    assert.equal(fp, createHash('sha256').update('fortros/master-key-id/v1').update(master).digest('hex').slice(0, 16));
    assert.ok(!master.toString('hex').includes(fp));
  });
});
