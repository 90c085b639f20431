// The doubling backoff, table-driven.
import assert from 'node:assert/strict';
import { doublingBackoffMs } from '../src/index.js';

describe('doublingBackoffMs', () => {
  const cases: [attempt: number, first: number, max: number, want: number][] = [
    [0, 1000, 30_000, 0],
    [-3, 1000, 30_000, 0],
    [1, 1000, 30_000, 1000],
    [2, 1000, 30_000, 2000],
    [5, 1000, 30_000, 16_000],
    [6, 1000, 30_000, 30_000],
    [1_000_000, 1000, 30_000, 30_000],
    [3, 1000, 0, 1000], // a cap below the first delay is raised to it
    [3, 250, 500, 500],
  ];
  for (const [attempt, first, max, want] of cases) {
    it(`attempt ${attempt}, first ${first} ms, cap ${max} ms → ${want} ms`, () => assert.equal(doublingBackoffMs(attempt, first, max), want));
  }
});
