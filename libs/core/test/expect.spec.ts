// The expected/got formatter, table-driven.
import assert from 'node:assert/strict';
import { GOT_MAX_CHARS, describeValue, expectedGot, fieldExpected } from '../src/index.js';

describe('expected/got', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const cases: [unknown, string][] = [
    [undefined, 'nothing'],
    [null, 'null'],
    ['x y', '"x y"'],
    [42, '42'],
    [false, 'false'],
    [12n, '12n'],
    [[1, 2], '[1,2]'],
    [{ a: 1 }, '{"a":1}'],
    [cyclic, '[object Object]'],
    [() => 1, 'a function'],
    ['z'.repeat(200), `"${'z'.repeat(GOT_MAX_CHARS - 1)}…`],
  ];
  for (const [value, shown] of cases) it(`shows ${shown.slice(0, 20)}`, () => assert.equal(describeValue(value), shown));

  it('formats one message shape', () => {
    assert.equal(expectedGot('a port', 'abc'), 'expected a port, got "abc"');
    assert.equal(fieldExpected('--bind', 'ADDR:PORT', 7), '--bind: expected ADDR:PORT, got 7');
  });
});
