// The node's SWIM incarnation, persisted so a restarted node rejoins above every incarnation it used before.
import { mkdir } from 'node:fs/promises';
import { IncarnationFileError } from '../errors.js';
import { readIfExists, writeFileDurably } from '../org/store-files.js';

export const INCARNATION_FILE = 'incarnation';
const MAX_INCARNATION = 0xfffffff0;

/** Persists the highest incarnation this node has used; saves are serialised and the newest wins. */
export class IncarnationStore {
  private saved = -1;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {}

  /** The incarnation to start with: one above the last one saved (0 on first boot), saved before it is returned. */
  async next(): Promise<number> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const raw = await readIfExists(`${this.dir}/${INCARNATION_FILE}`);
    let last = -1;
    if (raw !== null) {
      const text = raw.toString('utf8').trim();
      if (!/^\d{1,10}$/.test(text) || Number(text) > MAX_INCARNATION) {
        throw new IncarnationFileError(`${this.dir}/${INCARNATION_FILE}`, `expected a decimal integer ≤ ${MAX_INCARNATION}, got ${JSON.stringify(text.slice(0, 20))}`);
      }
      last = Number(text);
    }
    const start = Math.min(MAX_INCARNATION, last + 1);
    await this.write(start);
    return start;
  }

  /** Durably records `incarnation` when it is higher than the last saved one. */
  save(incarnation: number): Promise<void> {
    this.chain = this.chain.then(() => (incarnation > this.saved ? this.write(incarnation) : undefined));
    return this.chain;
  }

  private async write(incarnation: number): Promise<void> {
    await writeFileDurably(this.dir, INCARNATION_FILE, Buffer.from(`${incarnation}\n`));
    this.saved = Math.max(this.saved, incarnation);
  }
}
