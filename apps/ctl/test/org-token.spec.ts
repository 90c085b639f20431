// `org token create`: its --ttl durations and --uses counts, checked before any call.
import assert from 'node:assert/strict';
import { UsageError } from '../src/errors.js';
import { parseDurationMs } from '../src/commands/maintainer.js';

describe('org token create: --ttl', () => {
  for (const [text, ms] of [['30s', 30_000], ['15m', 900_000], ['1h', 3_600_000], ['7d', 604_800_000]] as const) {
    it(`reads ${text}`, () => assert.equal(parseDurationMs(text), ms));
  }
  for (const text of ['', '0h', '1', 'h', '1.5h', '1w', '-1h', '99999999s']) {
    it(`refuses ${JSON.stringify(text)}, naming the flag`, () => {
      assert.throws(() => parseDurationMs(text), (err: unknown) => err instanceof UsageError && /--ttl: expected a duration such as 30m, 1h or 7d/.test(err.message));
    });
  }
});
