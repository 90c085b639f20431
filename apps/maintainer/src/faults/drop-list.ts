// Test-only fault injection: the drop list of peer addresses whose gossip and OrgSync traffic the fault wrappers discard.
import { readFile } from 'node:fs/promises';
import type { Logger } from '@fortros/log';
import { FAULT_FILE_POLL_MS, FAULT_MAX_PEERS } from '../constants.js';

/*
 * Inputs (README "Fault injection"), both optional, both empty in production:
 *   FORTROS_TEST_DROP_PEERS=ADDR:PORT,...   dropped for the whole life of the process;
 *   FORTROS_TEST_DROP_PEERS_FILE=PATH       re-read every FAULT_FILE_POLL_MS; addresses separated by commas, spaces
 *                                           or newlines; a missing file means none. Each change is logged
 *                                           ("fault injection: drop list") so a test can wait for it.
 * An address is a peer's gossip address, which is also its OrgSync address (same host and port number).
 */

export interface DropListOptions {
  dropPeers: readonly string[];
  dropPeersFile: string | undefined;
  log: Logger;
}

export class DropList {
  private readonly fixed: ReadonlySet<string>;
  private fromFile = new Set<string>();
  private lastText: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private droppedCount = 0;

  constructor(private readonly options: DropListOptions) {
    this.fixed = new Set(options.dropPeers);
  }

  /** Packets and messages dropped so far. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Whether traffic to or from `address` (`host:port`) is to be dropped now. */
  isDropped(address: string | undefined): boolean {
    if (address === undefined) return false;
    return this.fixed.has(address) || this.fromFile.has(address);
  }

  /** Like isDropped, and counts the drop. */
  drop(address: string | undefined): boolean {
    const d = this.isDropped(address);
    if (d) this.droppedCount++;
    return d;
  }

  /** Called after each change of the drop list. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.fixed.size > 0) this.options.log.warn('fault injection: drop list', { peers: [...this.fixed], source: 'FORTROS_TEST_DROP_PEERS' });
    if (this.options.dropPeersFile === undefined || this.timer) return;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), FAULT_FILE_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private async poll(): Promise<void> {
    const file = this.options.dropPeersFile!;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      text = '';
    }
    if (text === this.lastText) return;
    this.lastText = text;
    const peers = text.split(/[\s,]+/).filter((s) => s !== '').slice(0, FAULT_MAX_PEERS);
    this.fromFile = new Set(peers);
    this.options.log.warn('fault injection: drop list', { peers, source: file });
    for (const l of this.listeners) l();
  }
}
