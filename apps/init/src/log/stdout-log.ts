// `--log stdout` (containers): a service's lines go to init's stdout as `NAME: line` through a bounded sink.
import type { LineSink } from '@fortros/log';
import { LOG_LINE_MAX_BYTES } from './constants.js';
import { truncateLine } from './log-line.js';
import type { ServiceLogSink } from './service-log.js';

export class StdoutLog implements ServiceLogSink {
  private readonly prefix: string;
  private closed = false;

  /** `sink` is e.g. `createStderrSink(1)` from @fortros/log: it queues (bounded), drops and says how many. */
  constructor(
    readonly service: string,
    private readonly sink: LineSink,
    private readonly maxLineBytes = LOG_LINE_MAX_BYTES,
  ) {
    this.prefix = `${service}: `;
  }

  /** close() was called: writes are ignored from then on. */
  get isClosed(): boolean {
    return this.closed;
  }

  write(line: string, _at?: Date): void {
    if (this.closed) return;
    let text = typeof line === 'string' ? line : String(line);
    if (text.endsWith('\n')) text = text.slice(0, -1);
    for (const part of text.includes('\n') ? text.split('\n') : [text]) {
      this.sink.write(this.prefix + truncateLine(part, this.maxLineBytes));
    }
  }

  /**
   * Later writes are ignored. Lines already handed to the shared sink are its to flush: it is init's stdout,
   * drained at exit with init's own stderr.
   */
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
