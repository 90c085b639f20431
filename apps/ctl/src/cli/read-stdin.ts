// Standard input read whole, with a bound (workload put -).
import { UsageError } from '../errors.js';

/** The stream's bytes as UTF-8 text; UsageError once more than `maxBytes` arrived (reading stops there). */
export async function readBounded(stream: AsyncIterable<Uint8Array | string> | undefined, maxBytes: number, what: string): Promise<string> {
  if (!stream) throw new UsageError(`${what}: no standard input to read`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += b.length;
    if (size > maxBytes) throw new UsageError(`${what}: standard input is over ${maxBytes} bytes; expected at most ${maxBytes}`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
