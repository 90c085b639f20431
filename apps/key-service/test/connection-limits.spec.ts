// keys.sock connection limits: per uid, unprivileged uids together, in all, per attributed service; refusals counted.
import { strict as assert } from 'node:assert';
import { ConnectionLimits, type LimitedConnection } from '../src/limits/connection-limits.js';
import { RefusalCounts } from '../src/limits/refusal-counts.js';

let nextId = 0;
function conn(uid: number | undefined): LimitedConnection {
  return { id: ++nextId, credentials: uid === undefined ? undefined : { pid: 1000 + nextId, uid, gid: uid }, closeReason: 'closed' };
}

describe('connection limits', () => {
  it('refuses one uid beyond its share while other uids and root are still admitted', () => {
    const counts = new RefusalCounts();
    const logged: string[] = [];
    const limits = new ConnectionLimits(counts, { total: 20, perUid: 4, unprivileged: 12 }, { refused: (r) => void logged.push(`${r.uid} ${r.reason}`) });
    const mine = Array.from({ length: 4 }, () => conn(1000));
    for (const c of mine) assert.equal(limits.admit(c), undefined);
    assert.match(limits.admit(conn(1000))!, /uid 1000 holds 4 connections \(limit 4\)/);
    assert.equal(limits.admit(conn(1001)), undefined, 'another uid');
    assert.equal(limits.admit(conn(0)), undefined, 'root');
    assert.equal(counts.get('uid-connections'), 1);
    assert.deepEqual(logged, ['1000 connection refused: uid 1000 holds 4 connections (limit 4)'], 'logged (rate-limited by the log)');
    limits.closed(mine[0]!);
    assert.equal(limits.connectionsOfUid(1000), 3);
    assert.equal(limits.admit(conn(1000)), undefined, 'a freed slot is reusable');
    assert.equal(limits.size, 6);
  });

  it('keeps room for root: unprivileged uids together stop at their cap; everyone stops at the total', () => {
    const counts = new RefusalCounts();
    const limits = new ConnectionLimits(counts, { total: 10, perUid: 4, unprivileged: 6 });
    for (const uid of [1, 1, 1, 2, 2, 2]) assert.equal(limits.admit(conn(uid)), undefined);
    assert.match(limits.admit(conn(3))!, /uids other than root hold 6 connections \(limit 6\)/);
    for (let i = 0; i < 4; i++) assert.equal(limits.admit(conn(0)), undefined);
    assert.match(limits.admit(conn(0))!, /10 connections held \(limit 10\)/);
    assert.deepEqual([counts.get('unprivileged-connections'), counts.get('total-connections')], [1, 1]);
  });

  it('refuses a connection without kernel credentials', () => {
    const counts = new RefusalCounts();
    assert.match(new ConnectionLimits(counts).admit(conn(undefined))!, /no peer credentials/);
    assert.equal(counts.get('no-credentials'), 1);
  });

  it('counts a connection towards its service once, up to the per-service limit, and frees it on close', () => {
    const counts = new RefusalCounts();
    const limits = new ConnectionLimits(counts, { perService: 2 });
    const [a, b, c] = [conn(0), conn(0), conn(0)];
    for (const x of [a, b, c]) limits.admit(x);
    assert.equal(limits.bindService(a, 'web'), undefined);
    assert.equal(limits.bindService(a, 'web'), undefined, 'a second call on the same connection is free');
    assert.equal(limits.bindService(b, 'web'), undefined);
    assert.match(limits.bindService(c, 'web')!, /web holds 2 connections \(limit 2\)/);
    assert.equal(limits.bindService(c, 'db'), undefined, 'another service is unaffected');
    limits.closed(a);
    assert.equal(limits.connectionsOfService('web'), 1);
    assert.equal(counts.get('service-connections'), 1);
  });

  it('counts idle closes, and validates its options', () => {
    const counts = new RefusalCounts();
    const limits = new ConnectionLimits(counts);
    const idle = conn(5);
    limits.admit(idle);
    idle.closeReason = 'idle';
    limits.closed(idle);
    assert.equal(counts.get('idle'), 1);
    assert.equal(limits.size, 0);
    assert.throws(() => new ConnectionLimits(counts, { perUid: 0 }), /perUid: expected a positive integer, got 0/);
    assert.equal(Object.keys(counts.snapshot()).length, 12, 'every reason has a counter, zero or not');
  });
});
