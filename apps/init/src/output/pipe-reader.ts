// Reads one output pipe of a service into its OutputSink, line by line, at a bounded rate: a flooding service
// waits on its own pipe (backpressure), init never does.
import type { Readable } from 'node:stream';
import type { Clock } from '../clock.js';
import { OUTPUT_BURST_BYTES, OUTPUT_LINE_MAX_BYTES, OUTPUT_RATE_BYTES_PER_SEC } from '../constants.js';
import { LineSplitter } from './line-splitter.js';
import type { OutputSink, OutputStream } from './output-sink.js';

export interface PipeReaderOptions {
  rateBytesPerSec?: number;
  burstBytes?: number;
  maxLineBytes?: number;
}

/** Attach a reader to `stream`; it ends by itself at EOF (or error), flushing a partial last line. */
export function readPipe(stream: Readable, which: OutputStream, sink: OutputSink, clock: Clock, options: PipeReaderOptions = {}): void {
  const rate = options.rateBytesPerSec ?? OUTPUT_RATE_BYTES_PER_SEC;
  const burst = options.burstBytes ?? OUTPUT_BURST_BYTES;
  const splitter = new LineSplitter(options.maxLineBytes ?? OUTPUT_LINE_MAX_BYTES, (line) => sink.writeLine(line, which));
  let tokens = burst;
  let refilledAt = clock.now();
  let ended = false;
  const refill = (): void => {
    const now = clock.now();
    tokens = Math.min(burst, tokens + ((now - refilledAt) * rate) / 1000);
    refilledAt = now;
  };
  stream.on('data', (chunk: Buffer) => {
    splitter.push(chunk);
    refill();
    tokens -= chunk.length;
    if (tokens >= 0 || ended) return;
    stream.pause();
    clock.setTimer(Math.ceil((-tokens * 1000) / rate), () => {
      refill();
      if (!ended) stream.resume();
    }, { unref: true });
  });
  const end = (): void => {
    if (ended) return;
    ended = true;
    splitter.flush();
  };
  stream.once('end', end);
  stream.once('close', end);
  stream.on('error', end);
}
