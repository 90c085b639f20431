// The node's SWIM incarnation bound, persisted so a restarted node rejoins above every incarnation it ever gossiped.
import { mkdir } from 'node:fs/promises';
import { MAX_INCARNATION, type IncarnationStore as SwimIncarnationStore } from '@fortros/swim';
import { IncarnationFileError } from '../errors.js';
import { readIfExists, writeFileDurably } from '../org/store-files.js';

export const INCARNATION_FILE = 'incarnation';

/**
 * Persists the highest incarnation this node may use: the bound the SWIM runner reserves ahead of the incarnation
 * in use and saves before any packet carries an incarnation above it. Saves are serialised and the highest wins.
 */
export class IncarnationStore implements SwimIncarnationStore {
  private saved = -1;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {}

  /**
   * The incarnation to start with: one above the saved bound (0 on first boot). Nothing is written: the runner saves
   * a new bound above it before it sends anything.
   */
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
    this.saved = last;
    return Math.min(MAX_INCARNATION, last + 1);
  }

  /** Durably records `bound` when it is higher than the last saved one; resolves once it is on disk (fsynced). */
  save(bound: number): Promise<void> {
    const write = this.chain.then(() => (bound > this.saved ? this.write(bound) : undefined));
    this.chain = write.catch(() => undefined);
    return write;
  }

  private async write(incarnation: number): Promise<void> {
    await writeFileDurably(this.dir, INCARNATION_FILE, Buffer.from(`${incarnation}\n`));
    this.saved = Math.max(this.saved, incarnation);
  }
}
