import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { parseAddress, SwimAddressError, SwimRunner, UdpTransport } from '../src/index.js';
import type { MemberEvent } from '../src/index.js';
import { until } from './until.js';

const fast = { probeIntervalMs: 100, probeTimeoutMs: 40, gossipIntervalMs: 50, joinRetryMs: 100 };

const aliveCount = (r: SwimRunner): number => r.members().filter((m) => m.state === 'alive').length;

describe('udp transport and runner', function () {
  this.timeout(20_000);
  const runners: SwimRunner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  const spawn = async (i: number, seeds: string[] = []): Promise<SwimRunner> => {
    const r = new SwimRunner({ id: `udp-${i}`, transport: new UdpTransport({ bind: '127.0.0.1:0' }), seeds, options: fast, meta: { overlayIp: `10.42.0.${i}` } });
    runners.push(r);
    await r.start();
    return r;
  };

  it('parses IPv4, bracketed IPv6 and names, and rejects the rest naming the value', () => {
    assert.deepEqual(parseAddress('127.0.0.1:7946'), { host: '127.0.0.1', port: 7946, family: 4 });
    assert.deepEqual(parseAddress('[::1]:0'), { host: '::1', port: 0, family: 6 });
    assert.deepEqual(parseAddress('node-a.local:1'), { host: 'node-a.local', port: 1, family: 0 });
    for (const bad of ['::1:7946', '127.0.0.1', '127.0.0.1:70000', '[zz]:1', ':1', 'a b:1']) {
      assert.throws(() => parseAddress(bad), (e: unknown) => e instanceof SwimAddressError && e.message.includes(JSON.stringify(bad)));
    }
  });

  it('four runners on distinct 127.0.0.1 ports converge over real UDP, then see a stopped one die', async () => {
    const first = await spawn(0);
    const seed = first.swim!.member('udp-0')!.address;
    const rest = await Promise.all([1, 2, 3].map((i) => spawn(i, [seed])));
    const all = [first, ...rest];
    await until(() => all.every((r) => aliveCount(r) === 4), 10_000, 'four alive members everywhere');
    assert.equal(first.members().find((m) => m.id === 'udp-2')!.meta.overlayIp, '10.42.0.2');
    const dead: MemberEvent[] = [];
    first.on('member:dead', (e) => dead.push(e));
    await rest[2]!.stop();
    await rest[2]!.stop();
    await until(() => dead.some((e) => e.member.id === 'udp-3'), 10_000, 'udp-3 declared dead');
  });

  it('a graceful leave is seen as left', async () => {
    const a = await spawn(0);
    const b = await spawn(1, [a.swim!.member('udp-0')!.address]);
    await until(() => aliveCount(a) === 2 && aliveCount(b) === 2, 10_000, 'two alive');
    const left: string[] = [];
    a.on('member:left', (e) => left.push(e.member.id));
    await b.leave();
    await until(() => left.includes('udp-1'), 5_000, 'udp-1 left');
  });

  it('counts garbage datagrams as malformed and keeps working', async () => {
    const a = await spawn(0);
    const b = await spawn(1, [a.swim!.member('udp-0')!.address]);
    await until(() => aliveCount(a) === 2 && aliveCount(b) === 2, 10_000, 'two alive');
    const { port } = parseAddress(a.swim!.member('udp-0')!.address);
    const sock = createSocket('udp4');
    const garbage = [Buffer.from('hello'), Buffer.from([0xf5, 0x01, 0x63, 1, 2, 3]), Buffer.from([0xf5, 0x09, 0x01]), Buffer.alloc(0)];
    for (const g of garbage) await new Promise<void>((resolve) => sock.send(g, port, '127.0.0.1', () => resolve()));
    sock.close();
    await until(() => Object.values(a.swim!.stats.malformed).reduce((x, y) => x + y, 0) >= 3, 5_000, 'malformed counted');
    assert.ok((a.swim!.stats.malformed['bad-magic'] ?? 0) >= 1);
    const c = await spawn(2, [a.swim!.member('udp-0')!.address]);
    await until(() => [a, b, c].every((r) => aliveCount(r) === 3), 10_000, 'a third node joins after the garbage');
  });
});
