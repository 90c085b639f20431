// The bounded queue: order, bound, both overflow policies, abort.
import assert from 'node:assert/strict';
import { BoundedQueue, QueueOverflowError } from '../src/index.js';

describe('BoundedQueue', () => {
  it('hands items over in order, waking a waiting consumer', async () => {
    const q = new BoundedQueue<number>({ max: 4, onFull: 'drop-newest', what: 'test' });
    const first = q.next();
    q.push(1);
    q.push(2);
    assert.equal(await first, 1);
    assert.equal(await q.next(), 2);
    assert.equal(q.length, 0);
  });

  it('drop-newest refuses past the bound and counts, keeping what it has', async () => {
    const q = new BoundedQueue<number>({ max: 2, onFull: 'drop-newest', what: 'test' });
    assert.deepEqual([q.push(1), q.push(2), q.push(3), q.push(4)], [true, true, false, false]);
    assert.equal(q.dropped, 2);
    assert.equal(await q.next(), 1);
    assert.equal(q.push(5), true);
  });

  it('overflow ends the consumer with QueueOverflowError naming the queue', async () => {
    const q = new BoundedQueue<number>({ max: 1, onFull: 'overflow', what: 'watch' });
    q.push(1);
    q.push(2);
    assert.equal(q.overflowed, true);
    assert.equal(q.push(3), false);
    await assert.rejects(q.next(), (err: Error) => err instanceof QueueOverflowError && /watch: fell more than 1 items behind/.test(err.message));
  });

  it('next() returns undefined and drain() ends once the signal aborts', async () => {
    const q = new BoundedQueue<string>({ max: 8, onFull: 'drop-newest', what: 'test' });
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const s of q.drain(ac.signal)) {
        seen.push(s);
        if (seen.length === 2) ac.abort();
      }
    })();
    q.push('a');
    q.push('b');
    await done;
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal(await q.next(ac.signal), undefined);
  });

  it('refuses a bound that is not a positive integer', () => {
    assert.throws(() => new BoundedQueue({ max: 0, onFull: 'overflow', what: 'q' }), /q: expected a positive queue bound, got 0/);
  });
});
