// The flags every daemon shares: --metrics (parseListenFlag) and --notify-fd (parseNotifyFdFlag).
import assert from 'node:assert/strict';
import { parseListenFlag, parseNotifyFdFlag, UsageError } from '../src/index.js';

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

describe('parseNotifyFdFlag', () => {
  const cases: [string | undefined, number | undefined | RegExp][] = [
    [undefined, undefined],
    ['3', 3],
    ['17', 17],
    ['2', /^--notify-fd: expected an fd number of 3 or more, got "2"$/],
    ['x', /got "x"/],
    ['', /got ""/],
  ];
  for (const [value, want] of cases) {
    it(`${String(value)} → ${want instanceof RegExp ? 'UsageError' : String(want)}`, () => {
      if (want instanceof RegExp) assert.throws(() => parseNotifyFdFlag(value), (err: Error) => err instanceof UsageError && want.test(err.message));
      else assert.equal(parseNotifyFdFlag(value), want);
    });
  }
});
