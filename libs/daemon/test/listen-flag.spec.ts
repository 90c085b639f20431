// parseListenFlag: the --metrics value of every daemon.
import assert from 'node:assert/strict';
import { parseListenFlag, UsageError } from '../src/index.js';

describe('parseListenFlag', () => {
  const cases: [string | undefined, { host: string; port: number } | undefined | RegExp][] = [
    [undefined, undefined],
    ['127.0.0.1:9101', { host: '127.0.0.1', port: 9101 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:9101', { host: '::1', port: 9101 }],
    ['9101', /^--metrics: expected HOST:PORT \(e\.g\. 127\.0\.0\.1:9101\), got "9101"$/],
    ['host:99999', /got "host:99999"/],
  ];
  for (const [value, want] of cases) {
    it(`${String(value)} → ${want instanceof RegExp ? 'UsageError' : JSON.stringify(want)}`, () => {
      if (want instanceof RegExp) assert.throws(() => parseListenFlag('--metrics', value), (err: Error) => err instanceof UsageError && want.test(err.message));
      else assert.deepEqual(parseListenFlag('--metrics', value), want);
    });
  }
});
