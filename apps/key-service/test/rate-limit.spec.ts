// The per-caller token bucket: burst, refill at the rate, independence of callers, bounded LRU table.
import { strict as assert } from 'node:assert';
import { DERIVE_RATE_PER_SEC } from '../src/constants.js';
import { RateLimiter } from '../src/policy/rate-limit.js';

describe('rate limiter', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => (now = 1000));

  it('allows a burst, then refuses with the time until the next token', () => {
    const rl = new RateLimiter({ ratePerSec: 10, burst: 3, clock });
    for (let i = 0; i < 3; i++) assert.deepEqual(rl.take('web'), { allowed: true });
    assert.deepEqual(rl.take('web'), { allowed: false, retryAfterMs: 100 });
    now += 50;
    assert.deepEqual(rl.take('web'), { allowed: false, retryAfterMs: 50 });
    now += 50;
    assert.deepEqual(rl.take('web'), { allowed: true });
  });

  it('refills at the rate, up to the burst only', () => {
    const rl = new RateLimiter({ ratePerSec: 100, burst: 5, clock });
    for (let i = 0; i < 5; i++) rl.take('web');
    now += 60_000;
    let allowed = 0;
    while (rl.take('web').allowed) allowed++;
    assert.equal(allowed, 5);
  });

  it('limits each caller separately', () => {
    const rl = new RateLimiter({ ratePerSec: 1, burst: 1, clock });
    assert.ok(rl.take('web').allowed);
    assert.ok(!rl.take('web').allowed);
    assert.ok(rl.take('api').allowed);
  });

  it('tracks at most maxCallers, evicting the least recently used', () => {
    const rl = new RateLimiter({ ratePerSec: 1, burst: 1, maxCallers: 2, clock });
    rl.take('a');
    rl.take('b');
    rl.take('a'); // a is now the most recent; b the least
    rl.take('c'); // evicts b
    assert.equal(rl.size, 2);
    assert.ok(!rl.take('a').allowed, 'a kept its (empty) bucket');
    assert.ok(rl.take('b').allowed, 'b was evicted and starts full');
  });

  it('by default lets one caller do well over 10k derivations in a second', () => {
    const rl = new RateLimiter({ clock });
    let allowed = 0;
    for (let i = 0; i < 10; i++) {
      now += 100;
      while (rl.take('bench').allowed) allowed++;
    }
    assert.ok(DERIVE_RATE_PER_SEC >= 10_000);
    assert.ok(allowed >= 20_000, `allowed ${allowed}`);
  });

  it('validates its options', () => {
    assert.throws(() => new RateLimiter({ ratePerSec: 0 }), /ratePerSec: expected a positive number, got 0/);
    assert.throws(() => new RateLimiter({ burst: -1 }), /burst: expected a positive number, got -1/);
    assert.throws(() => new RateLimiter({ maxCallers: 1.5 }), /maxCallers: expected an integer, got 1.5/);
  });
});
