// Keeps this node's own member record in the org document: written at start, restored whenever a change it did not make removes or alters it.
import type { Logger } from '@fortros/log';
import { SELF_RECORD_RETRY_MS } from '../constants.js';
import type { OrgDocument } from './org-doc.js';
import { type MemberRecord, validateMember } from './org-records.js';

export interface SelfRecordComponents {
  org: OrgDocument;
  /** What this node knows about itself; the document's entry must equal it. */
  record: MemberRecord;
  log: Logger;
}

/**
 * Any member can write any entry, so a peer's bad write may delete or alter this node's record (key, address,
 * labels). The keeper watches its entry and writes the record again, durably, one write at a time; a failed write
 * (a full disk) is retried after SELF_RECORD_RETRY_MS. Restores are counted.
 */
export class SelfRecordKeeper {
  /** Writes made because the entry had been removed or altered by someone else. */
  restores = 0;
  private readonly record: MemberRecord;
  private writing: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  private off: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly c: SelfRecordComponents) {
    this.record = validateMember(c.record);
  }

  /** Writes the record if the document lacks it or holds another one; then keeps watching. */
  async start(): Promise<void> {
    this.off ??= this.c.org.on('member:changed', (e) => {
      if (e.id === this.record.id && !e.local) this.check();
    });
    if (!this.intact) await this.c.org.putMember(this.record).then(() => undefined, (err: unknown) => this.failed(err));
  }

  stop(): void {
    this.stopped = true;
    this.off?.();
    this.off = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  /** Whether the document holds exactly this node's record. */
  get intact(): boolean {
    const held = this.c.org.getMember(this.record.id);
    return held !== undefined && JSON.stringify(held) === JSON.stringify(this.record);
  }

  private check(): void {
    if (this.stopped) return;
    if (this.writing) {
      this.again = true;
      return;
    }
    if (this.intact) return;
    this.c.log.warn('org document: this node\'s member record was removed or altered by a peer; restoring it', { id: this.record.id });
    this.writing = this.c.org.putMember(this.record).then(
      () => void this.restores++,
      (err: unknown) => this.failed(err),
    );
    void this.writing.finally(() => {
      this.writing = null;
      if (this.again) {
        this.again = false;
        this.check();
      }
    });
  }

  private failed(err: unknown): void {
    this.c.log.warn('org document: cannot write this node\'s member record; will retry', { id: this.record.id, err });
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.check();
    }, SELF_RECORD_RETRY_MS);
    this.retry.unref();
  }
}
