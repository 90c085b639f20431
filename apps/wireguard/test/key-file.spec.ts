// The private key file: made atomically with mode 0600 when absent, read back the same; refused when its mode is
// looser, its size or format is wrong, or it is a symlink, with the path and reason and never the key.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, isKey } from '@fortros/wireguard';
import { KeyFileFormatError, KeyFileModeError, loadOrCreatePrivateKey } from '../src/index.js';

describe('private key file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fortros-wg-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made with mode 0600 in a 0700 directory when absent, then read back unchanged', async () => {
    const path = join(dir, 'persist/wireguard/private.key');
    const first = await loadOrCreatePrivateKey(path);
    assert.equal(first.created, true);
    assert.ok(isKey(first.privateKey));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'persist/wireguard')).mode & 0o777, 0o700);
    assert.equal(readFileSync(path, 'utf8'), `${first.privateKey}\n`);
    assert.deepEqual(readdirSync(join(dir, 'persist/wireguard')), ['private.key'], 'no temp file left');
    const again = await loadOrCreatePrivateKey(path);
    assert.deepEqual(again, { privateKey: first.privateKey, created: false });
  });

  it('several concurrent first starts agree on one key', async () => {
    const path = join(dir, 'private.key');
    const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreatePrivateKey(path)));
    assert.equal(new Set(all.map((k) => k.privateKey)).size, 1);
  });

  it('accepts a wg genkey-style file without a newline', async () => {
    const path = join(dir, 'private.key');
    const key = generatePrivateKey();
    writeFileSync(path, key, { mode: 0o600 });
    assert.equal((await loadOrCreatePrivateKey(path)).privateKey, key);
  });

  const key = generatePrivateKey();
  const bad: [string, (path: string) => void, (e: unknown) => boolean][] = [
    ['mode 0644', (p) => (writeFileSync(p, `${key}\n`), chmodSync(p, 0o644)), (e) => e instanceof KeyFileModeError && /mode 0644 is too open/.test((e as Error).message)],
    ['mode 0640', (p) => (writeFileSync(p, `${key}\n`), chmodSync(p, 0o640)), (e) => e instanceof KeyFileModeError],
    ['an empty file', (p) => writeFileSync(p, '', { mode: 0o600 }), (e) => e instanceof KeyFileFormatError && /0 bytes/.test((e as Error).message)],
    ['a long file', (p) => writeFileSync(p, `${key}\n\n\n`, { mode: 0o600 }), (e) => e instanceof KeyFileFormatError && /47 bytes/.test((e as Error).message)],
    ['44 bytes of junk', (p) => writeFileSync(p, '!'.repeat(44), { mode: 0o600 }), (e) => e instanceof KeyFileFormatError && /base64/.test((e as Error).message)],
    ['a directory', (p) => mkdirSync(p, { mode: 0o700 }), (e) => e instanceof KeyFileFormatError && /regular file/.test((e as Error).message)],
    ['a symlink', (p) => (writeFileSync(join(dir, 'real'), `${key}\n`, { mode: 0o600 }), symlinkSync(join(dir, 'real'), p)), (e) => e instanceof KeyFileFormatError && /symbolic link/.test((e as Error).message)],
  ];
  for (const [what, make, check] of bad) {
    it(`refuses ${what}, naming the path, never the key`, async () => {
      const path = join(dir, 'private.key');
      make(path);
      await assert.rejects(loadOrCreatePrivateKey(path), (e: unknown) => check(e) && (e as Error).message.startsWith(path) && !(e as Error).message.includes(key));
    });
  }
});
