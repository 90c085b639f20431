// Keys from node:crypto match wg's: `wg pubkey` derives the same public key, and our keys are clamped like `wg genkey`.
import { strict as assert } from 'node:assert';
import { execa } from 'execa';
import { generateKeyPair, generatePrivateKey, isKey, publicKeyOf, InvalidKeyError } from '../src/index.js';

const wgPubkey = async (priv: string): Promise<string> => (await execa('wg', ['pubkey'], { input: `${priv}\n` })).stdout.trim();

describe('keys', () => {
  it('derives the public key `wg pubkey` derives, for our keys and for wg genkey keys', async function () {
    if ((await execa('wg', ['--version'], { reject: false })).failed) this.skip();
    for (let i = 0; i < 5; i++) {
      const ours = generateKeyPair();
      assert.equal(ours.publicKey, await wgPubkey(ours.privateKey));
      const theirs = (await execa('wg', ['genkey'])).stdout.trim();
      assert.equal(publicKeyOf(theirs), await wgPubkey(theirs));
    }
    // an unclamped private key: wg clamps before deriving, and so does X25519
    const raw = Buffer.alloc(32, 0xff).toString('base64');
    assert.equal(publicKeyOf(raw), await wgPubkey(raw));
  });

  it('clamps generated private keys', () => {
    for (let i = 0; i < 20; i++) {
      const k = Buffer.from(generatePrivateKey(), 'base64');
      assert.equal(k[0]! & 7, 0);
      assert.equal(k[31]! & 0xc0, 0x40);
    }
  });

  it('refuses a malformed private key without echoing it', () => {
    for (const bad of ['', 'short', 'A'.repeat(44), `${'A'.repeat(43)}B`]) {
      assert.throws(() => publicKeyOf(bad), (e: unknown) => e instanceof InvalidKeyError && (bad.length < 5 || !e.message.includes(bad)));
    }
    assert.ok(isKey(generatePrivateKey()));
  });
});
