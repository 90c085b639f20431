// The raw in-process rate of one derivation as fortros-keys does it: HKDF-Expand (HMAC-SHA256 keyed by the master
// PRK held as a secret KeyObject) over the DESIGN §7 info string. Mirrors apps/key-service/src/crypto (a bench may
// not import an app), and checks itself against node's hkdfSync so the mirror cannot drift unnoticed.
import { createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

function lp(text: string): Buffer {
  const b = Buffer.from(text, 'utf8');
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length);
  return Buffer.concat([l, b]);
}

function info(service: string, purpose: string, version: number, length: number): Buffer {
  const tail = Buffer.alloc(6);
  tail.writeUInt32BE(version, 0);
  tail.writeUInt16BE(length, 4);
  return Buffer.concat([Buffer.from('fortros/key/v1'), lp(service), lp(purpose), tail]);
}

function expand(prk: KeyObject, infoBytes: Buffer, length: number): Buffer {
  const okm = Buffer.alloc(length);
  const counter = Buffer.alloc(1);
  let previous = Buffer.alloc(0);
  let written = 0;
  for (let i = 1; written < length; i++) {
    counter[0] = i;
    const block = createHmac('sha256', prk).update(previous).update(infoBytes).update(counter).digest();
    previous.fill(0);
    written += block.copy(okm, written, 0, Math.min(block.length, length - written));
    previous = block;
  }
  previous.fill(0);
  return okm;
}

export interface HkdfRate {
  derivations: number;
  seconds: number;
  perSec: number;
}

/** Derivations per second for `durationMs`, one thread, each building its info string as the service does. */
export function measureHkdfRate(durationMs: number): HkdfRate {
  const master = randomBytes(32);
  const prkBytes = createHmac('sha256', Buffer.alloc(32)).update(master).digest();
  const prk = createSecretKey(prkBytes);
  const check = expand(prk, info('web', 'tls', 1, 32), 32);
  if (!check.equals(Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info('web', 'tls', 1, 32), 32)))) {
    throw new Error('bench/keys: the HKDF mirror disagrees with hkdfSync');
  }
  master.fill(0);
  prkBytes.fill(0);
  let derivations = 0;
  const start = performance.now();
  const end = start + durationMs;
  while (performance.now() < end) {
    for (let i = 0; i < 256; i++) expand(prk, info('bench-client', 'bench', 1, 32), 32).fill(0);
    derivations += 256;
  }
  const seconds = (performance.now() - start) / 1000;
  return { derivations, seconds, perSec: derivations / seconds };
}
