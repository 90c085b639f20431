// The org store's read-only state while the disk is full: the error writes are refused with, and the retry timer.
import type { Logger } from '@fortros/log';
import { ORG_STORE_FULL_RETRY_MS } from '../constants.js';
import { OrgStoreFullError } from '../errors.js';

/** The errno code when `err` means the disk (or the quota) is full, else undefined. */
export function diskFullCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? code : undefined;
}

export interface DiskFullComponents {
  dir: string;
  log: Logger;
  /** One attempt to make everything durable again (a whole-document snapshot); rejects while there is no space. */
  attempt: () => Promise<void>;
  /** Called after an attempt failed for another reason than a full disk. */
  onFailure: (err: unknown) => void;
}

/** Read-only mode: entered on ENOSPC/EDQUOT, left once an attempt every ORG_STORE_FULL_RETRY_MS succeeds. */
export class DiskFull {
  error: OrgStoreFullError | null = null;
  /** Writes refused so far. */
  refused = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly c: DiskFullComponents) {}

  enter(code: string): void {
    if (!this.error) this.c.log.error('org store: disk full; read-only until space returns (reads and sync still served)', { dir: this.c.dir, code });
    this.error = new OrgStoreFullError(this.c.dir, code);
    this.stopped = false;
    this.schedule();
  }

  /** The error to refuse one write with (counted). */
  refuse(): OrgStoreFullError {
    this.refused++;
    return this.error ?? new OrgStoreFullError(this.c.dir, 'ENOSPC');
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.retry();
    }, ORG_STORE_FULL_RETRY_MS);
    this.timer.unref();
  }

  private async retry(): Promise<void> {
    if (!this.error || this.stopped) return;
    try {
      await this.c.attempt();
      this.error = null;
      this.c.log.info('org store: space is back; writable again', { dir: this.c.dir });
    } catch (err) {
      if (diskFullCode(err)) this.schedule();
      else this.c.onFailure(err);
    }
  }
}
