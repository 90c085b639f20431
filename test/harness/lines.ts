// Line-by-line reading of a child's output stream (node:readline), shared by the harnesses.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Call `fn` with each line of `stream` (without its newline), a last unterminated line included. */
export function onLines(stream: Readable, fn: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', fn);
}
