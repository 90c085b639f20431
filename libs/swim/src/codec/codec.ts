// The gossip codec: paired encode/decode of every message, one dispatcher that rejects unknown types, strict bounds.
import { MAX_ADDRESS_BYTES, MAX_ID_BYTES, MAX_META_BYTES, MAX_META_ENTRIES, MAX_META_KEY_BYTES, MAX_META_VALUE_BYTES, MAX_NAME_BYTES, MAX_PACKET_BYTES, MAX_PIGGYBACK_UPDATES, MAX_SYNC_CHUNKS, PROTOCOL_MAGIC, PROTOCOL_VERSION } from '../constants.js';
import { MessageType, STATE_BY_CODE, StateCode, SyncFlag, UpdateKind } from './messages.js';
import type { Message, SyncMessage, SyncRecord, Update } from './messages.js';
import { DecodeError, Reader, Writer } from './wire.js';
import type { MalformedReason } from './wire.js';
import type { MemberMeta } from '../types.js';

export type DecodeResult = { readonly ok: true; readonly message: Message } | { readonly ok: false; readonly reason: MalformedReason };

const writeMeta = (w: Writer, meta: MemberMeta): void => {
  const entries = Object.entries(meta);
  w.u8(entries.length);
  for (const [k, v] of entries) w.str8(k).str8(v);
};

const readMeta = (r: Reader): MemberMeta => {
  const start = r.offset;
  const count = r.u8();
  if (count > MAX_META_ENTRIES) throw new DecodeError('bad-count');
  const meta: Record<string, string> = {};
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = r.str8(MAX_META_KEY_BYTES);
    const v = r.str8(MAX_META_VALUE_BYTES, true);
    if (k === '__proto__' || keys.includes(k)) throw new DecodeError('bad-string');
    keys.push(k);
    meta[k] = v;
  }
  if (r.offset - start > MAX_META_BYTES) throw new DecodeError('bad-count');
  return Object.freeze(meta);
};

/** One piggybacked update as bytes (cached by the broadcast queue). */
/** Scratch writer reused by every encode (the result is always copied out). */
const scratch = new Writer(4096);

export function encodeUpdate(u: Update): Uint8Array {
  const w = scratch.reset();
  writeUpdate(w, u);
  return w.finish();
}

function writeUpdate(w: Writer, u: Update): void {
  switch (u.kind) {
    case 'alive':
      w.u8(UpdateKind.Alive).str8(u.id).u32(u.incarnation).str8(u.name).str8(u.address);
      writeMeta(w, u.meta);
      return;
    case 'suspect':
      w.u8(UpdateKind.Suspect).str8(u.id).u32(u.incarnation).str8(u.from);
      return;
    case 'dead':
      w.u8(UpdateKind.Dead).str8(u.id).u32(u.incarnation).str8(u.from);
      return;
    case 'left':
      w.u8(UpdateKind.Left).str8(u.id).u32(u.incarnation);
      return;
  }
}

function readUpdate(r: Reader): Update {
  const kind = r.u8();
  const id = r.str8(MAX_ID_BYTES);
  const incarnation = r.u32();
  switch (kind) {
    case UpdateKind.Alive: {
      const name = r.str8(MAX_NAME_BYTES);
      const address = r.str8(MAX_ADDRESS_BYTES);
      return { kind: 'alive', id, incarnation, name, address, meta: readMeta(r) };
    }
    case UpdateKind.Suspect:
      return { kind: 'suspect', id, incarnation, from: r.str8(MAX_ID_BYTES) };
    case UpdateKind.Dead:
      return { kind: 'dead', id, incarnation, from: r.str8(MAX_ID_BYTES) };
    case UpdateKind.Left:
      return { kind: 'left', id, incarnation };
    default:
      throw new DecodeError('unknown-update');
  }
}

/** One sync record as bytes. */
export function encodeRecord(m: SyncRecord): Uint8Array {
  const w = scratch.reset();
  w.str8(m.id).u32(m.incarnation).str8(m.name).str8(m.address);
  writeMeta(w, m.meta);
  w.u8(StateCode[m.state]);
  return w.finish();
}

function readRecord(r: Reader): SyncRecord {
  const id = r.str8(MAX_ID_BYTES);
  const incarnation = r.u32();
  const name = r.str8(MAX_NAME_BYTES);
  const address = r.str8(MAX_ADDRESS_BYTES);
  const meta = readMeta(r);
  const state = STATE_BY_CODE[r.u8()];
  if (state === undefined) throw new DecodeError('bad-state');
  return { id, incarnation, name, address, meta, state };
}

function writeHead(w: Writer, m: Message): void {
  w.u8(PROTOCOL_MAGIC).u8(PROTOCOL_VERSION);
  switch (m.type) {
    case 'ping':
      w.u8(MessageType.Ping).u32(m.seq).str8(m.from).str8(m.target);
      return;
    case 'ack':
      w.u8(MessageType.Ack).u32(m.seq).str8(m.from);
      return;
    case 'ping-req':
      w.u8(MessageType.PingReq).u32(m.seq).str8(m.from).str8(m.target).str8(m.targetAddress);
      return;
    case 'nack':
      w.u8(MessageType.Nack).u32(m.seq).str8(m.from);
      return;
    case 'gossip':
      w.u8(MessageType.Gossip).str8(m.from);
      return;
    case 'sync':
      w.u8(MessageType.Sync).str8(m.from);
      w.u8((m.reply ? SyncFlag.Reply : 0) | (m.join ? SyncFlag.Join : 0)).u16(m.chunk).u16(m.chunks).u16(m.members.length);
      return;
  }
}

/**
 * Encodes a message whose updates are given already encoded (the node's broadcast queue caches them).
 * For sync messages `parts` are encoded records. The caller keeps the result within MAX_PACKET_BYTES.
 */
export function encodeWithParts(m: Message, parts: readonly Uint8Array[]): Uint8Array {
  return encodeWithPicker(m, () => parts);
}

/** Encodes a message whose parts are chosen once the room left after its head (maxBytes - head) is known. */
export function encodeWithPicker(m: Message, pick: (room: number) => readonly Uint8Array[], maxBytes: number = MAX_PACKET_BYTES): Uint8Array {
  const w = scratch.reset();
  writeHead(w, m);
  const parts = pick(maxBytes - w.length - (m.type === 'sync' ? 0 : 1));
  if (m.type !== 'sync') w.u8(parts.length);
  for (const p of parts) w.bytes(p);
  return w.finish();
}

/** Bytes of a message before its updates or records. */
export function headBytes(m: Message): number {
  const w = scratch.reset();
  writeHead(w, m);
  return w.length + (m.type === 'sync' ? 0 : 1);
}

/** Encodes a whole message. */
export function encode(m: Message): Uint8Array {
  const parts = m.type === 'sync' ? m.members.map(encodeRecord) : m.updates.map(encodeUpdate);
  return encodeWithParts(m, parts);
}

/** Splits a full state into sync packets of at most maxBytes each (records that cannot fit at all are skipped). */
export function encodeSyncChunks(head: Omit<SyncMessage, 'chunk' | 'chunks' | 'members' | 'type'>, records: readonly SyncRecord[], maxBytes: number): Uint8Array[] {
  const base: SyncMessage = { type: 'sync', ...head, chunk: 0, chunks: 1, members: [] };
  const room = maxBytes - headBytes(base);
  const groups: Uint8Array[][] = [[]];
  let used = 0;
  for (const rec of records) {
    const bytes = encodeRecord(rec);
    if (bytes.length > room) continue;
    if (used + bytes.length > room || groups[groups.length - 1]!.length >= 0xffff) {
      if (groups.length >= MAX_SYNC_CHUNKS) break;
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1]!.push(bytes);
    used += bytes.length;
  }
  return groups.map((parts, i) => {
    const msg: SyncMessage = { ...base, chunk: i, chunks: groups.length, members: new Array<SyncRecord>(parts.length) };
    return encodeWithParts(msg, parts);
  });
}

const readUpdates = (r: Reader): Update[] => {
  const count = r.u8();
  if (count > MAX_PIGGYBACK_UPDATES) throw new DecodeError('bad-count');
  const out: Update[] = [];
  for (let i = 0; i < count; i++) out.push(readUpdate(r));
  return out;
};

/** The dispatcher: decodes any packet, rejecting unknown types and anything out of bounds. Never throws. */
export function decode(bytes: Uint8Array, maxBytes: number = MAX_PACKET_BYTES): DecodeResult {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > maxBytes) return { ok: false, reason: 'oversize' };
  try {
    const r = new Reader(bytes);
    if (r.u8() !== PROTOCOL_MAGIC) return { ok: false, reason: 'bad-magic' };
    if (r.u8() !== PROTOCOL_VERSION) return { ok: false, reason: 'bad-version' };
    const message = decodeBody(r.u8(), r);
    r.end();
    return { ok: true, message };
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, reason: err.reason };
    throw err;
  }
}

function decodeBody(type: number, r: Reader): Message {
  switch (type) {
    case MessageType.Ping: {
      const seq = r.u32();
      const from = r.str8(MAX_ID_BYTES);
      const target = r.str8(MAX_ID_BYTES);
      return { type: 'ping', seq, from, target, updates: readUpdates(r) };
    }
    case MessageType.Ack: {
      const seq = r.u32();
      return { type: 'ack', seq, from: r.str8(MAX_ID_BYTES), updates: readUpdates(r) };
    }
    case MessageType.PingReq: {
      const seq = r.u32();
      const from = r.str8(MAX_ID_BYTES);
      const target = r.str8(MAX_ID_BYTES);
      const targetAddress = r.str8(MAX_ADDRESS_BYTES);
      return { type: 'ping-req', seq, from, target, targetAddress, updates: readUpdates(r) };
    }
    case MessageType.Nack: {
      const seq = r.u32();
      return { type: 'nack', seq, from: r.str8(MAX_ID_BYTES), updates: readUpdates(r) };
    }
    case MessageType.Gossip:
      return { type: 'gossip', from: r.str8(MAX_ID_BYTES), updates: readUpdates(r) };
    case MessageType.Sync: {
      const from = r.str8(MAX_ID_BYTES);
      const flags = r.u8();
      if ((flags & ~(SyncFlag.Reply | SyncFlag.Join)) !== 0) throw new DecodeError('bad-state');
      const chunk = r.u16();
      const chunks = r.u16();
      if (chunks === 0 || chunks > MAX_SYNC_CHUNKS || chunk >= chunks) throw new DecodeError('bad-count');
      const count = r.u16();
      if (count > r.remaining) throw new DecodeError('bad-count');
      const members: SyncRecord[] = [];
      for (let i = 0; i < count; i++) members.push(readRecord(r));
      return { type: 'sync', from, reply: (flags & SyncFlag.Reply) !== 0, join: (flags & SyncFlag.Join) !== 0, chunk, chunks, members };
    }
    default:
      throw new DecodeError('unknown-type');
  }
}
