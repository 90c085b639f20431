// The #! line split as Linux's binfmt_script splits it: interpreter, then the rest as one argument.
import { deepStrictEqual } from 'node:assert/strict';
import { MAX_SHEBANG_BYTES } from '../src/constants.js';
import { parseShebang, scriptHead } from '../src/shebang.js';

const CASES: Array<[string, ReturnType<typeof parseShebang>]> = [
  ['#!/bin/sh\necho', { ok: true, value: ['/bin/sh'] }],
  ['#!/bin/execlineb -P\nfoo', { ok: true, value: ['/bin/execlineb', '-P'] }],
  ['#! \t/usr/bin/env  sh -e \t\r\nx', { ok: true, value: ['/usr/bin/env', 'sh -e'] }],
  ['#!/bin/sh', { ok: true, value: ['/bin/sh'] }],
  ['echo hi\n', { ok: false, expected: 'a first line "#!INTERPRETER [ARG]"', got: 'no #! line' }],
  ['#!   \n', { ok: false, expected: 'a first line "#!INTERPRETER [ARG]"', got: 'a #! line naming no interpreter' }],
  [`#!/${'x'.repeat(MAX_SHEBANG_BYTES)}`, { ok: false, expected: 'a first line "#!INTERPRETER [ARG]"', got: `a #! line longer than ${MAX_SHEBANG_BYTES} bytes` }],
];

describe('parseShebang', () => {
  for (const [head, want] of CASES) it(JSON.stringify(head.slice(0, 30)), () => deepStrictEqual(parseShebang(head), want));
  it('tells scripts, ELF programs and text apart', () => {
    deepStrictEqual([scriptHead('#!/bin/sh'), scriptHead('\x7fELF\x02'), scriptHead('foreground { true }')], ['shebang', 'elf', 'other']);
  });
});
