import assert from 'node:assert/strict';
import { decode, encode, MAX_PACKET_BYTES, MessageType, PROTOCOL_MAGIC, PROTOCOL_VERSION, seededRandom, SwimNode } from '../src/index.js';
import type { Message } from '../src/index.js';

const meta = { overlayIp: '10.42.0.7', publicKey: 'x'.repeat(44), labels: 'zone=é' };
const alive = { kind: 'alive', id: 'node-a', incarnation: 7, name: 'a', address: '[::1]:7946', meta } as const;
const samples: Message[] = [
  { type: 'ping', seq: 1, from: 'node-a', target: 'node-b', updates: [alive, { kind: 'suspect', id: 'node-c', incarnation: 2, from: 'node-a' }] },
  { type: 'ack', seq: 0xffffffff, from: 'node-b', updates: [{ kind: 'dead', id: 'node-d', incarnation: 3, from: 'node-b' }] },
  { type: 'ping-req', seq: 42, from: 'node-a', target: 'node-c', targetAddress: '127.0.0.1:9', updates: [{ kind: 'left', id: 'node-e', incarnation: 9 }] },
  { type: 'nack', seq: 42, from: 'node-r', updates: [] },
  { type: 'gossip', from: 'node-a', updates: [alive] },
  { type: 'sync', from: 'node-a', reply: true, join: false, chunk: 1, chunks: 3, members: [{ id: 'node-a', incarnation: 1, name: 'a', address: '10.0.0.1:7946', meta, state: 'suspect' }] },
];

const head = (type: number): number[] => [PROTOCOL_MAGIC, PROTOCOL_VERSION, type];
const str = (s: string): number[] => [s.length, ...Buffer.from(s)];

describe('codec', () => {
  for (const m of samples) {
    it(`round-trips a ${m.type} message`, () => {
      const bytes = encode(m);
      assert.ok(bytes.length <= MAX_PACKET_BYTES);
      assert.deepEqual(decode(bytes), { ok: true, message: m });
    });
  }

  const good = encode(samples[0]!);
  const table: [string, Uint8Array, string][] = [
    ['empty packet', new Uint8Array(0), 'empty'],
    ['truncated ping', good.subarray(0, good.length - 3), 'truncated'],
    ['header only', Uint8Array.from(head(MessageType.Ping)), 'truncated'],
    ['bad magic', Uint8Array.from([0x00, ...good.subarray(1)]), 'bad-magic'],
    ['bad version', Uint8Array.from([PROTOCOL_MAGIC, 99, ...good.subarray(2)]), 'bad-version'],
    ['unknown type', Uint8Array.from([...head(200), 0, 0]), 'unknown-type'],
    ['oversize packet', new Uint8Array(MAX_PACKET_BYTES + 1).fill(PROTOCOL_MAGIC), 'oversize'],
    ['too many piggybacked updates', Uint8Array.from([...head(MessageType.Gossip), ...str('a'), 255]), 'bad-count'],
    ['unknown update kind', Uint8Array.from([...head(MessageType.Gossip), ...str('a'), 1, 77, ...str('b'), 0, 0, 0, 1]), 'unknown-update'],
    ['bad utf8 in an id', Uint8Array.from([...head(MessageType.Gossip), 2, 0xc3, 0x28, 0]), 'bad-utf8'],
    ['empty id', Uint8Array.from([...head(MessageType.Gossip), 0, 0]), 'bad-string'],
    ['id over its bound', Uint8Array.from([...head(MessageType.Gossip), 200, ...new Array<number>(200).fill(97), 0]), 'bad-string'],
    ['trailing bytes', Uint8Array.from([...encode({ type: 'nack', seq: 1, from: 'r', updates: [] }), 0]), 'trailing-bytes'],
    ['sync with zero chunks', Uint8Array.from([...head(MessageType.Sync), ...str('a'), 0, 0, 0, 0, 0, 0, 0]), 'bad-count'],
    ['sync count beyond the packet', Uint8Array.from([...head(MessageType.Sync), ...str('a'), 0, 0, 0, 0, 1, 0xff, 0xff]), 'bad-count'],
    ['sync with unknown flags', Uint8Array.from([...head(MessageType.Sync), ...str('a'), 0x80, 0, 0, 0, 1, 0, 0]), 'bad-state'],
    ['sync record with bad state', Uint8Array.from([...head(MessageType.Sync), ...str('a'), 0, 0, 0, 0, 1, 0, 1, ...str('b'), 0, 0, 0, 1, ...str('b'), ...str('h:1'), 0, 9]), 'bad-state'],
    ['meta with too many entries', Uint8Array.from([...head(MessageType.Gossip), ...str('a'), 1, 1, ...str('b'), 0, 0, 0, 1, ...str('b'), ...str('h:1'), 200]), 'bad-count'],
    ['meta with a duplicate key', Uint8Array.from([...head(MessageType.Gossip), ...str('a'), 1, 1, ...str('b'), 0, 0, 0, 1, ...str('b'), ...str('h:1'), 2, ...str('k'), ...str('v'), ...str('k'), ...str('w')]), 'bad-string'],
  ];

  for (const [what, bytes, reason] of table) {
    it(`rejects ${what} as ${reason} and the node counts it`, () => {
      assert.deepEqual(decode(bytes), { ok: false, reason });
      const node = new SwimNode({ id: 'n', address: '127.0.0.1:1', random: seededRandom(1) }, 0);
      const out = node.step({ type: 'packet', from: '127.0.0.1:2', data: bytes }, 1);
      assert.equal(node.stats.malformed[reason], 1);
      assert.equal(out.sends.length + out.events.length, 0);
    });
  }

  it('never throws on random garbage', () => {
    const random = seededRandom(99);
    for (let i = 0; i < 5000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random.next() * 64) }, () => Math.floor(random.next() * 256));
      if (i % 2 === 0 && bytes.length > 3) bytes.set(head(1 + (i % 6)));
      const r = decode(bytes);
      if (r.ok) assert.deepEqual(decode(encode(r.message)), r);
    }
  });
});
