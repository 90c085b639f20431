// Byte-level reader and writer of the gossip codec: big-endian integers and length-prefixed UTF-8 strings, all bounded.

/** Why a packet was dropped; the keys of stats.malformed. */
export type MalformedReason =
  | 'empty'
  | 'oversize'
  | 'truncated'
  | 'bad-magic'
  | 'bad-version'
  | 'unknown-type'
  | 'unknown-update'
  | 'bad-state'
  | 'bad-count'
  | 'bad-string'
  | 'bad-utf8'
  | 'trailing-bytes';

export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(readonly reason: MalformedReason) {
    super(reason);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Encoded bytes of recently written strings (ids and addresses repeat in every packet); bounded. */
const STRING_CACHE_MAX = 4096;
const stringCache = new Map<string, Uint8Array>();
function utf8(s: string): Uint8Array {
  let b = stringCache.get(s);
  if (b) return b;
  b = encoder.encode(s);
  if (stringCache.size >= STRING_CACHE_MAX) stringCache.clear();
  stringCache.set(s, b);
  return b;
}

/** Decoded ASCII strings by FNV-1a hash of their bytes; bounded, verified byte for byte on every hit. */
const internTable = new Map<number, { bytes: Uint8Array; str: string }>();
function internAscii(slice: Uint8Array, hash: number): string {
  const hit = internTable.get(hash);
  if (hit && hit.bytes.length === slice.length) {
    let same = true;
    for (let i = 0; i < slice.length; i++) {
      if (hit.bytes[i] !== slice[i]) {
        same = false;
        break;
      }
    }
    if (same) return hit.str;
  }
  const str = String.fromCharCode.apply(null, slice as unknown as number[]);
  if (internTable.size >= STRING_CACHE_MAX) internTable.clear();
  internTable.set(hash, { bytes: slice.slice(), str });
  return str;
}

export class Writer {
  private buf: Uint8Array;
  private pos = 0;
  constructor(capacity = 2048) {
    this.buf = new Uint8Array(capacity);
  }
  /** Empties the writer so its buffer can be reused. */
  reset(): this {
    this.pos = 0;
    return this;
  }
  get length(): number {
    return this.pos;
  }
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  u8(v: number): this {
    this.reserve(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.reserve(2);
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }
  u32(v: number): this {
    this.reserve(4);
    this.buf[this.pos++] = (v >>> 24) & 0xff;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }
  /** u8 byte length then UTF-8 bytes; the caller guarantees length ≤ 255. */
  str8(s: string): this {
    const bytes = utf8(s);
    if (bytes.length > 255) throw new RangeError(`string of ${bytes.length} bytes does not fit a u8 length`);
    this.u8(bytes.length);
    return this.bytes(bytes);
  }
  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DecodeError('truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const b = this.buf;
    const v = ((b[this.pos]! << 24) | (b[this.pos + 1]! << 16) | (b[this.pos + 2]! << 8) | b[this.pos + 3]!) >>> 0;
    this.pos += 4;
    return v;
  }
  /** A u8-length-prefixed UTF-8 string of 1..max bytes (0..max when allowEmpty). */
  str8(max: number, allowEmpty = false): string {
    const len = this.u8();
    if (len > max || (len === 0 && !allowEmpty)) throw new DecodeError('bad-string');
    this.need(len);
    const start = this.pos;
    this.pos += len;
    const slice = this.buf.subarray(start, this.pos);
    // ASCII fast path through an intern table (ids and addresses repeat in every packet); the rest goes through the strict decoder.
    let hash = 0x811c9dc5;
    let ascii = true;
    for (let i = 0; i < slice.length; i++) {
      const c = slice[i]!;
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    if (ascii) return internAscii(slice, hash >>> 0);
    try {
      return decoder.decode(slice);
    } catch {
      throw new DecodeError('bad-utf8');
    }
  }
  end(): void {
    if (this.pos !== this.buf.length) throw new DecodeError('trailing-bytes');
  }
}
