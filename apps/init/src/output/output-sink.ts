// Where a service's output lines go: the OutputSink interface (init's stderr, stdout, or rotated log files).
import type { PipeReaderOptions } from './pipe-reader.js';

export type OutputStream = 'stdout' | 'stderr';

/** One service's output destination. Lines arrive complete, without their newline. Must never block. */
export interface OutputSink {
  writeLine(line: string, stream: OutputStream): void;
  /** Nothing more will be written (the service is gone from the tree, or init is exiting). */
  close(): void;
}

/** Opens the sink of a service; called once per service, on its first process. */
export interface OutputFactory {
  open(service: string): OutputSink;
  /** How service pipes are read into this destination (default: rate-limited, for a shared stderr). */
  readonly pipeOptions?: PipeReaderOptions;
}
