// The `#!` line of a script read as Linux's binfmt_script reads it: an interpreter and at most one argument.
import { MAX_SHEBANG_BYTES } from './constants.js';
import type { Parsed } from './settings.js';

/** What a script file starts with, enough to tell how it can be executed. */
export type ScriptHead = 'shebang' | 'elf' | 'other';

const ELF_MAGIC = '\x7fELF';

export function scriptHead(head: string): ScriptHead {
  if (head.startsWith('#!')) return 'shebang';
  return head.startsWith(ELF_MAGIC) ? 'elf' : 'other';
}

/**
 * `#!/bin/execlineb -P` → `['/bin/execlineb', '-P']`: the interpreter, then the rest of the line (spaces and
 * tabs around it removed) as one argument if any, exactly as the kernel splits it. `head` is the file's start.
 */
export function parseShebang(head: string): Parsed<string[]> {
  const expected = 'a first line "#!INTERPRETER [ARG]"';
  if (!head.startsWith('#!')) return { ok: false, expected, got: 'no #! line' };
  const nl = head.indexOf('\n');
  if (nl === -1 && head.length >= MAX_SHEBANG_BYTES) return { ok: false, expected, got: `a #! line longer than ${MAX_SHEBANG_BYTES} bytes` };
  const line = (nl === -1 ? head : head.slice(0, nl)).slice(2).replace(/^[ \t]+/, '').replace(/[ \t\r]+$/, '');
  const gap = line.search(/[ \t]/);
  const interpreter = gap === -1 ? line : line.slice(0, gap);
  if (interpreter === '') return { ok: false, expected, got: 'a #! line naming no interpreter' };
  const arg = gap === -1 ? '' : line.slice(gap).replace(/^[ \t]+/, '');
  return { ok: true, value: arg === '' ? [interpreter] : [interpreter, arg] };
}
