// Line sinks: where rendered log lines go. The stderr sink never blocks the event loop: it queues
// (bounded) and writes asynchronously; when the queue is full it drops lines and says how many.
import { write } from 'node:fs';

export interface LineSink {
  /** Queue one line (without trailing newline). Never throws, never blocks. */
  write(line: string): void;
}

/** Bytes of log output that may wait for a slow reader of fd 2 before lines are dropped. */
export const STDERR_QUEUE_MAX_BYTES = 4 * 1024 * 1024;

export function createStderrSink(fd = 2, maxQueuedBytes = STDERR_QUEUE_MAX_BYTES): LineSink & { dropped(): number } {
  const queue: Buffer[] = [];
  let queued = 0;
  let writing = false;
  let dropped = 0;
  let droppedUnreported = 0;
  const pump = (): void => {
    if (writing) return;
    if (droppedUnreported > 0) {
      queue.push(Buffer.from(`log: dropped ${droppedUnreported} lines: output fd ${fd} is not keeping up\n`));
      droppedUnreported = 0;
    }
    if (queue.length === 0) return;
    const chunk = queue.length === 1 ? queue[0]! : Buffer.concat(queue);
    queue.length = 0;
    queued = 0;
    writing = true;
    const writeFrom = (offset: number): void => {
      write(fd, chunk, offset, chunk.length - offset, null, (err, n) => {
        if (err) {
          if (err.code === 'EAGAIN') {
            setTimeout(() => writeFrom(offset), 10);
            return;
          }
          writing = false; // fd closed or broken: drop what we had; there is nowhere else to say so
          return;
        }
        if (offset + n < chunk.length) return writeFrom(offset + n);
        writing = false;
        pump();
      });
    };
    writeFrom(0);
  };
  return {
    write(line: string): void {
      const buf = Buffer.from(line.endsWith('\n') ? line : `${line}\n`);
      if (queued + buf.length > maxQueuedBytes) {
        dropped++;
        droppedUnreported++;
        return;
      }
      queue.push(buf);
      queued += buf.length;
      pump();
    },
    dropped: () => dropped,
  };
}
