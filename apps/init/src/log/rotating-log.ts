// The log of one service, svlogd-style, written without ever blocking the service (bounded queue, one writer).
import { droppedMarker, LOG_FOLLOW_QUEUE_MAX_LINES, LOG_FOLLOWERS_MAX, LOG_TAIL_MAX_LINES } from './constants.js';
import { LogDirectory } from './log-directory.js';
import { LogFollowers } from './log-followers.js';
import { truncateLine } from './log-line.js';
import { integerOption, normalizeRotatingLogOptions, type NormalizedRotatingLogOptions, type RotatingLogOptions } from './log-options.js';
import { readTail } from './log-tail.js';
import type { FollowOptions, LogEntry, ServiceLogReader, ServiceLogSink, TailOptions } from './service-log.js';
import { Tai64nEncoder } from '@fortros/log';

interface Queued extends LogEntry {
  bytes: Buffer;
  /** A `dropped N lines` marker: N. */
  marks?: number;
}

export class RotatingLog implements ServiceLogSink, ServiceLogReader {
  readonly dir: string;
  private readonly options: NormalizedRotatingLogOptions;
  private readonly files: LogDirectory;
  private readonly followers = new LogFollowers(LOG_FOLLOWERS_MAX, LOG_FOLLOW_QUEUE_MAX_LINES);
  private readonly encoder = new Tai64nEncoder();
  private queue: Queued[] = [];
  /** Bytes queued plus the batch being written: the memory the bound limits. */
  private pendingBytes = 0;
  private droppedTotal = 0;
  /** Dropped since the last marker line. */
  private droppedUnmarked = 0;
  private acceptedSeq = 0;
  private writtenSeq = 0;
  private flushWaiters: { seq: number; resolve: () => void }[] = [];
  private idleWaiters: (() => void)[] = [];
  private writing = false;
  private failing = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Serialises disk work: batches, rotation, tail reads, close. */
  private io: Promise<unknown>;

  constructor(options: RotatingLogOptions) {
    this.options = normalizeRotatingLogOptions(options);
    this.dir = this.options.dir;
    this.files = new LogDirectory(this.dir, this.options.maxFileBytes, this.options.maxFiles, () => this.options.clock.now());
    this.io = this.options.openAfter.catch(() => undefined);
  }

  /** close() was called: writes are ignored from then on. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Lines dropped so far because the disk was slower than the service (or failing). */
  get dropped(): number {
    return this.droppedTotal;
  }

  write(line: string, at?: Date): void {
    if (this.closed) return;
    const valid = at instanceof Date && !Number.isNaN(at.getTime());
    const ms = valid ? at.getTime() : this.options.clock.now();
    const when = valid ? at : new Date(ms);
    let text = typeof line === 'string' ? line : String(line);
    if (text.endsWith('\n')) text = text.slice(0, -1);
    if (!text.includes('\n')) this.enqueue(text, when, ms);
    else for (const part of text.split('\n')) this.enqueue(part, when, ms);
    if (!this.writing && this.queue.length > 0) void this.drain();
  }

  /** Resolves when every line accepted before the call has been written (or dropped on a disk error). */
  flush(): Promise<void> {
    if (this.writtenSeq >= this.acceptedSeq) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push({ seq: this.acceptedSeq, resolve }));
  }

  async tail(n: number, options: TailOptions = {}): Promise<LogEntry[]> {
    const count = integerOption('tail lines', n, 0, 0, LOG_TAIL_MAX_LINES);
    return this.withIo(() => readTail(this.dir, count, this.options.maxLineBytes, options.signal));
  }

  follow(options: FollowOptions): AsyncIterable<LogEntry> {
    if (!(options?.signal instanceof AbortSignal)) {
      throw new TypeError(`follow signal: expected an AbortSignal, got ${String(options?.signal)}`);
    }
    const { signal } = options;
    const tail = integerOption('follow tail lines', options.tail, 0, 0, LOG_TAIL_MAX_LINES);
    // Subscribe under the disk lock, right after reading the tail: no line is missed or repeated in between.
    const subscribed = this.withIo(async () => this.followers.add(await readTail(this.dir, tail, this.options.maxLineBytes, signal), signal));
    subscribed.catch(() => undefined); // reported to whoever iterates
    return {
      [Symbol.asyncIterator]: async function* () {
        let lines: AsyncIterable<LogEntry>;
        try {
          lines = await subscribed;
        } catch (err) {
          if (signal.aborted) return;
          throw err;
        }
        yield* lines;
      },
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      if (this.droppedUnmarked > 0 || this.queue.length > 0) void this.drain();
      if (this.writing) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      try {
        await this.withIo(() => this.files.close());
      } catch (error) {
        this.options.logger.warn('cannot close service log', { dir: this.dir, error });
      }
      this.followers.end();
    })();
    return this.closing;
  }

  private enqueue(raw: string, at: Date, ms: number): void {
    const line = truncateLine(raw, this.options.maxLineBytes);
    const bytes = Buffer.from(`${this.encoder.encode(ms)} ${line}\n`, 'utf8');
    const reserve = this.droppedUnmarked > 0 ? 64 : 0; // room for the marker line that must come first
    if (this.pendingBytes + bytes.length + reserve > this.options.maxQueueBytes) {
      this.droppedTotal++;
      this.droppedUnmarked++;
      return;
    }
    if (this.droppedUnmarked > 0) this.enqueueMarker(at, ms);
    this.push({ at, line, bytes });
  }

  /** `fortros-init: dropped N lines`, where the gap is; it may pass the queue bound by its few bytes. */
  private enqueueMarker(at: Date, ms: number): void {
    const marks = this.droppedUnmarked;
    const line = droppedMarker(marks);
    this.droppedUnmarked = 0;
    this.push({ at, line, bytes: Buffer.from(`${this.encoder.encode(ms)} ${line}\n`, 'utf8'), marks });
  }

  private push(entry: Queued): void {
    this.queue.push(entry);
    this.pendingBytes += entry.bytes.length;
    this.acceptedSeq++;
  }

  /** The one writer: takes everything queued as one batch, writes it, repeats until the queue is empty. */
  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      for (;;) {
        if (this.queue.length === 0) {
          // Caught up: mark the lines dropped while the disk was slow (not while it fails: that would loop).
          if (this.droppedUnmarked === 0 || this.failing) break;
          const ms = this.options.clock.now();
          this.enqueueMarker(new Date(ms), ms);
        }
        const batch = this.queue;
        this.queue = [];
        let bytes = 0;
        for (const q of batch) bytes += q.bytes.length;
        await this.withIo(() => this.writeBatch(batch));
        this.pendingBytes -= bytes;
        this.writtenSeq += batch.length;
        this.settleFlushes();
      }
    } finally {
      this.writing = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async writeBatch(batch: Queued[]): Promise<void> {
    const { written, error } = await this.files.append(batch.map((q) => q.bytes));
    if (written > 0 && this.followers.size > 0) {
      this.followers.publish(batch.slice(0, written).map(({ at, line }) => ({ at, line })));
    }
    if (error === undefined) {
      if (this.failing) this.options.logger.info('service log writable again', { dir: this.dir });
      this.failing = false;
      return;
    }
    for (const q of batch.slice(written)) {
      // A lost marker's count goes to the next marker; it is not itself a dropped line of the service.
      this.droppedTotal += q.marks === undefined ? 1 : 0;
      this.droppedUnmarked += q.marks ?? 1;
    }
    if (!this.failing) this.options.logger.warn('cannot write service log; dropping its lines until it can', { dir: this.dir, error });
    this.failing = true;
    await this.files.reset();
  }

  private settleFlushes(): void {
    if (this.flushWaiters.length === 0) return;
    const still: typeof this.flushWaiters = [];
    for (const w of this.flushWaiters) {
      if (w.seq <= this.writtenSeq) w.resolve();
      else still.push(w);
    }
    this.flushWaiters = still;
  }

  private withIo<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.io.then(fn);
    this.io = run.catch(() => undefined);
    return run;
  }
}
